package dev.faultline.router.failover;

import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockClientException;
import dev.faultline.lock.client.LockHandle;
import dev.faultline.router.RouterProperties;
import dev.faultline.web.outbound.ServiceIdentity;
import dev.faultline.web.outbound.ServiceInstances;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The router's lease from the lock service ({@value #LOCK}): the leader repairs shards only while
 * it holds it, and every fence it moves in PostgreSQL carries the lease's fencing token, so a
 * router that lost the lease (paused, partitioned) is refused by the storage itself. Without {@code
 * faultline.router.lock-lease.enabled} (tests of the router alone) the leader latch is the only
 * guard and the token is 0.
 */
@Component
public class RouterLease implements AutoCloseable {
  static final String LOCK = "shard-router-leader";
  private static final Logger log = LoggerFactory.getLogger(RouterLease.class);
  private static final Duration TTL = Duration.ofSeconds(10);

  private final boolean enabled;
  private final @Nullable LockClient locks;
  private final String holder;
  private volatile @Nullable LockHandle lease;

  RouterLease(
      RouterProperties properties,
      ServiceInstances instances,
      ServiceIdentity identity,
      org.springframework.core.env.Environment environment) {
    this.enabled = properties.lockLease().enabled();
    this.holder = environment.getProperty("faultline.instance-id", "shard-router");
    this.locks =
        enabled
            ? LockClient.overInstances(
                () -> instances.shuffled("lock-service"),
                () -> {
                  try {
                    return identity.requireToken();
                  } catch (IllegalStateException e) {
                    throw new LockClientException(e.getMessage());
                  }
                })
            : null;
  }

  /**
   * Whether the leader may act now, acquiring the lease if it does not hold it. A previous leader's
   * lease must expire first (its TTL): until then, no repair.
   */
  public boolean mayAct() {
    if (!enabled) {
      return true;
    }
    LockHandle held = lease;
    if (held != null && held.isHeld()) {
      return true;
    }
    try {
      lease =
          locks
              .acquire(LOCK, holder, TTL, Duration.ZERO, lost -> log.warn("router lease lost"))
              .orElse(null);
      if (lease != null) {
        log.info("router lease acquired, fencing token {}", lease.fencingToken());
      }
    } catch (LockClientException | ServiceInstances.NoInstanceException e) {
      log.warn("cannot reach the lock service for the router lease: {}", e.getMessage());
      lease = null;
    }
    return lease != null && lease.isHeld();
  }

  /** The fencing token to move fences with: the lease's, or 0 without leases. */
  public long token() {
    LockHandle held = lease;
    if (!enabled) {
      return 0;
    }
    if (held == null || !held.isHeld()) {
      throw new IllegalStateException("the router holds no lease");
    }
    return held.fencingToken();
  }

  /** Gives the lease up (leadership lost, or shutting down). */
  void release() {
    LockHandle held = lease;
    lease = null;
    if (held != null) {
      held.close();
    }
  }

  @Override
  public void close() {
    release();
    if (locks != null) {
      locks.close();
    }
  }
}
