package dev.faultline.payment.lease;

import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockClientException;
import dev.faultline.lock.client.LockHandle;
import dev.faultline.lock.client.StaleFencingTokenException;
import dev.faultline.web.outbound.ServiceIdentity;
import dev.faultline.web.outbound.ServiceInstances;
import dev.faultline.web.problem.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The critical section around an account's balance: a lock-service lease on {@code account-<id>},
 * whose fencing token the balance UPDATE checks (so a holder that lost its lease while paused
 * cannot write after a newer one did).
 *
 * <p>Leases are cached while hot: one round trip to the lock service serves a burst of payments on
 * the same account, and is released {@value #IDLE_MS} ms after the last use, or at the first idle
 * moment after {@value #MAX_HOLD_MS} ms so the other instances get their turn. Within this process
 * a per-account mutex queues callers behind the one lease.
 */
@Component
public class AccountLeases implements DisposableBean {
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final long IDLE_MS = 300;
  private static final long MAX_HOLD_MS = 2_000;
  private static final long FORGET_MS = 30_000;

  /** Work inside the critical section, given the lease's fencing token. */
  @FunctionalInterface
  public interface Critical<T> {
    T run(long fencingToken);
  }

  private final LockClient locks;
  private final String holder;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final ScheduledExecutorService janitor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("account-leases").factory());
  private final Counter acquisitions;
  private final Counter reuses;

  AccountLeases(
      ServiceInstances instances,
      ServiceIdentity identity,
      Environment environment,
      MeterRegistry meters) {
    this.locks =
        LockClient.overInstances(() -> instances.shuffled("lock-service"), identity::requireToken);
    // A fresh holder per process: a restarted instance must not inherit its dead self's lease
    // (and token) while a paused twin might still be using it.
    this.holder =
        environment.getProperty("faultline.instance-id", "payment-service")
            + "/"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.acquisitions =
        Counter.builder("payment.account.leases")
            .description("account leases taken from the lock service, by whether one was cached")
            .tag("source", "acquired")
            .register(meters);
    this.reuses =
        Counter.builder("payment.account.leases").tag("source", "cached").register(meters);
    janitor.scheduleWithFixedDelay(this::releaseCold, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code work} while holding the account's lease; 503 when it cannot be had in time. */
  public <T> T withLease(String accountId, Critical<T> work) {
    while (true) {
      Slot slot = slots.computeIfAbsent(accountId, Slot::new);
      boolean locked;
      try {
        locked = slot.mutex.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AccountBusy(accountId);
      }
      if (!locked) {
        throw new AccountBusy(accountId);
      }
      try {
        if (slot.retired) {
          continue;
        }
        LockHandle lease = slot.lease();
        try {
          return work.run(lease.fencingToken());
        } catch (StaleFencingTokenException e) {
          // A newer holder wrote the account: ours is gone. Nothing was written; retry later.
          slot.drop();
          throw new LeaseLost(accountId);
        }
      } finally {
        slot.lastUsedNanos = System.nanoTime();
        slot.mutex.unlock();
      }
    }
  }

  private void releaseCold() {
    long now = System.nanoTime();
    for (Slot slot : slots.values()) {
      if (!slot.mutex.tryLock()) {
        continue;
      }
      try {
        long idleMs = (now - slot.lastUsedNanos) / 1_000_000;
        if (slot.lease != null
            && (idleMs >= IDLE_MS
                || (now - slot.acquiredNanos) / 1_000_000 >= MAX_HOLD_MS
                || !slot.lease.isHeld())) {
          slot.drop();
        }
        if (slot.lease == null && idleMs >= FORGET_MS) {
          slot.retired = true;
          slots.remove(slot.accountId, slot);
        }
      } finally {
        slot.mutex.unlock();
      }
    }
  }

  @Override
  public void destroy() {
    janitor.shutdownNow();
    slots.values().forEach(Slot::drop);
    locks.close();
  }

  /** One account's cached lease; every field is guarded by {@code mutex}. */
  private final class Slot {
    final String accountId;
    final ReentrantLock mutex = new ReentrantLock();
    @Nullable LockHandle lease;
    long acquiredNanos;
    volatile long lastUsedNanos = System.nanoTime();
    boolean retired;

    Slot(String accountId) {
      this.accountId = accountId;
    }

    LockHandle lease() {
      if (lease != null && lease.isHeld()) {
        reuses.increment();
        return lease;
      }
      drop();
      try {
        lease =
            locks
                .acquire("account-" + accountId, holder, TTL, WAIT, lost -> {})
                .orElseThrow(() -> new AccountBusy(accountId));
      } catch (LockClientException | ServiceInstances.NoInstanceException e) {
        throw new LocksUnavailable(e.getMessage());
      }
      acquiredNanos = System.nanoTime();
      acquisitions.increment();
      return lease;
    }

    void drop() {
      LockHandle held = lease;
      lease = null;
      if (held != null) {
        held.close();
      }
    }
  }

  /** Another instance holds the account's lease longer than we may wait: try again shortly. */
  public static final class AccountBusy extends Rejection {
    AccountBusy(String accountId) {
      super(
          503,
          "account-busy",
          "Account busy",
          "account " + accountId + " is being changed elsewhere; retry with the same key");
    }
  }

  /** The lease was lost mid-operation (a newer holder wrote): nothing changed; retry. */
  public static final class LeaseLost extends Rejection {
    LeaseLost(String accountId) {
      super(
          503,
          "account-lease-lost",
          "Account lease lost",
          "the lease on account " + accountId + " was lost; nothing changed, retry");
    }
  }

  /** The lock service cannot be reached: balances do not move without it. */
  public static final class LocksUnavailable extends Rejection {
    LocksUnavailable(@Nullable String why) {
      super(
          503,
          "locks-unavailable",
          "Lock service unavailable",
          "balances move only under a lease, and the lock service is unreachable: " + why);
    }
  }
}
