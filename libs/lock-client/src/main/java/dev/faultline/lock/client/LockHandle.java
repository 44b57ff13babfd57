package dev.faultline.lock.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lease. Renews about every third of its TTL; {@link #isHeld()} is true only until the local
 * deadline, counted from <em>before</em> the last successful acquire or renewal was sent (the
 * service counts from when it saw it, later), minus a margin for clock-rate drift. When a renewal
 * is refused (410) or the deadline passes without one, the lease-lost callback runs once: the
 * holder must stop protected work. {@link #close()} releases; calling it twice is safe.
 */
public final class LockHandle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LockHandle.class);

  /** A clock may run this much faster than the service's: stop early by that fraction of a TTL. */
  private static final double DRIFT_MARGIN = 0.05;

  private final LockClient client;
  private final String name;
  private final String holder;
  private final String leaseId;
  private final long fencingToken;
  private final long ttlNanos;
  private final Consumer<LockHandle> onLost;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long validUntilNanos;
  private final ScheduledFuture<?> renewer;

  LockHandle(
      LockClient client,
      String name,
      String holder,
      String leaseId,
      long fencingToken,
      Duration ttl,
      long sentAtNanos,
      ScheduledExecutorService renewals,
      Consumer<LockHandle> onLost) {
    this.client = client;
    this.name = name;
    this.holder = holder;
    this.leaseId = leaseId;
    this.fencingToken = fencingToken;
    this.ttlNanos = ttl.toNanos();
    this.onLost = onLost;
    this.validUntilNanos = deadlineFrom(sentAtNanos);
    long period = Math.max(1, ttl.toMillis() / 3);
    this.renewer =
        renewals.scheduleWithFixedDelay(this::renewOnce, period, period, TimeUnit.MILLISECONDS);
  }

  private long deadlineFrom(long sentAtNanos) {
    return sentAtNanos + (long) (ttlNanos * (1 - DRIFT_MARGIN));
  }

  private void renewOnce() {
    if (closed.get() || lost.get()) {
      return;
    }
    if (System.nanoTime() >= validUntilNanos) {
      lose("its TTL passed without a confirmed renewal");
      return;
    }
    long sentAt = System.nanoTime();
    try {
      if (client.renew(name, leaseId)) {
        validUntilNanos = deadlineFrom(sentAt);
      } else {
        lose("the service says it is gone (expired or taken over)");
      }
    } catch (RuntimeException e) {
      // Unknown outcome: keep trying until the deadline, then give up.
      log.warn("renewal of {} failed, retrying until the lease's deadline: {}", name, e.toString());
      if (System.nanoTime() >= validUntilNanos) {
        lose("renewals failed until its TTL passed");
      }
    }
  }

  private void lose(String why) {
    if (lost.compareAndSet(false, true)) {
      renewer.cancel(false);
      log.warn("lease on {} lost: {}", name, why);
      try {
        onLost.accept(this);
      } catch (RuntimeException e) {
        log.error("lease-lost callback of {} failed", name, e);
      }
    }
  }

  /** True while the lease is certainly still ours (before the local deadline, not lost). */
  public boolean isHeld() {
    if (!lost.get() && !closed.get() && System.nanoTime() >= validUntilNanos) {
      lose("its TTL passed without a confirmed renewal");
    }
    return !lost.get() && !closed.get();
  }

  public long fencingToken() {
    return fencingToken;
  }

  public String name() {
    return name;
  }

  public String holder() {
    return holder;
  }

  public String leaseId() {
    return leaseId;
  }

  /** Stops renewing and releases the lease (a no-op the second time, or once it is lost). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    renewer.cancel(false);
    if (!lost.get()) {
      try {
        client.release(name, leaseId);
      } catch (RuntimeException e) {
        // It expires by itself within its TTL.
        log.warn("release of {} failed; the lease will expire: {}", name, e.toString());
      }
    }
  }
}
