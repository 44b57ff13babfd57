package dev.faultline.order.saga;

import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockClientException;
import dev.faultline.lock.client.LockHandle;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.outbound.ServiceIdentity;
import dev.faultline.web.outbound.ServiceInstances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Resumes sagas after a crash, a timeout or an outage: per shard, the instance holding the lease
 * {@code order-saga-recovery-shard-<n>} polls for sagas whose next attempt is due and drives them
 * with the lease's fencing token. One worker per shard at a time; if it dies its lease expires and
 * another instance takes over, and the saga rows refuse the old one's writes from then on.
 */
@Component
class RecoveryWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RecoveryWorker.class);
  private static final int BATCH = 64;
  private static final int PARALLEL = 16;

  private final ShardClient shards;
  private final SagaStore store;
  private final SagaRunner runner;
  private final SagaMetrics metrics;
  private final SagaProperties properties;
  private final LockClient locks;
  private final String holder;
  private final Map<Integer, LockHandle> leases = new ConcurrentHashMap<>();

  /** The slots each shard served when its lease was taken here. */
  private final Map<Integer, java.util.BitSet> slotsAtLease = new ConcurrentHashMap<>();

  private volatile boolean running;
  private Thread loop;
  private long lastLevelsNanos;
  private boolean warned;

  RecoveryWorker(
      ShardClient shards,
      SagaStore store,
      SagaRunner runner,
      SagaMetrics metrics,
      SagaProperties properties,
      ServiceInstances instances,
      ServiceIdentity identity,
      Environment environment) {
    this.shards = shards;
    this.store = store;
    this.runner = runner;
    this.metrics = metrics;
    this.properties = properties;
    this.locks =
        LockClient.overInstances(() -> instances.shuffled("lock-service"), identity::requireToken);
    this.holder =
        environment.getProperty("faultline.instance-id", "order-service")
            + "/"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  @Override
  public void start() {
    running = true;
    loop = Thread.ofPlatform().daemon().name("saga-recovery").start(this::run);
  }

  @Override
  public void stop() {
    running = false;
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    leases.values().forEach(LockHandle::close);
    leases.clear();
    locks.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    try (ExecutorService drivers = Executors.newVirtualThreadPerTaskExecutor()) {
      while (running) {
        long inFlight = 0;
        long stuck = 0;
        boolean countLevels = System.nanoTime() - lastLevelsNanos > 2_000_000_000L;
        var ring = shards.view().ring();
        for (int shard : ring.shardIds()) {
          try {
            retakeIfGained(shard, ring);
            LockHandle lease = lease(shard, ring);
            if (lease == null) {
              continue;
            }
            resume(shard, lease, drivers);
            if (countLevels) {
              SagaStore.Counts counts =
                  shards.read(
                      shard, Freshness.LATEST, db -> store.counts(db, properties.stuckAfter()));
              inFlight += counts.inFlight();
              stuck += counts.stuck();
            }
          } catch (RuntimeException e) {
            log.warn("saga recovery on shard {} failed this round: {}", shard, e.toString());
          }
        }
        if (countLevels) {
          metrics.levels(inFlight, stuck);
          lastLevelsNanos = System.nanoTime();
        }
        try {
          Thread.sleep(properties.pollInterval());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Drives every due saga of the shard, up to {@value #PARALLEL} at a time. */
  private void resume(int shard, LockHandle lease, ExecutorService drivers) {
    List<UUID> due = shards.read(shard, Freshness.LATEST, db -> store.due(db, BATCH));
    List<Future<?>> running = new ArrayList<>();
    Duration budget = properties.stepTimeout().multipliedBy(3);
    for (UUID id : due) {
      if (!lease.isHeld()) {
        break;
      }
      running.add(drivers.submit(() -> runner.drive(id, lease.fencingToken(), budget)));
      if (running.size() >= PARALLEL) {
        awaitAll(running);
      }
    }
    awaitAll(running);
  }

  private static void awaitAll(List<Future<?>> futures) {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        log.warn("a saga driver failed: {}", e.getCause().toString());
      }
    }
    futures.clear();
  }

  /**
   * A shard that gained slots (resharding) gets a new lease: the sagas that moved in were last
   * written under the old owner's lease, whose token may be newer than the one held here, and a
   * lease granted now is newer than every token written before (tokens are creation zxids).
   */
  private void retakeIfGained(int shard, dev.faultline.ring.SlotRing ring) {
    java.util.BitSet then = slotsAtLease.get(shard);
    if (then == null) {
      return;
    }
    for (int slot = 0; slot < ring.slots(); slot++) {
      if (ring.shardOfSlot(slot) == shard && !then.get(slot)) {
        LockHandle held = leases.remove(shard);
        slotsAtLease.remove(shard);
        if (held != null) {
          held.close();
          log.info("shard {} gained slots: taking its saga recovery lease anew", shard);
        }
        return;
      }
    }
  }

  private static java.util.BitSet owned(int shard, dev.faultline.ring.SlotRing ring) {
    java.util.BitSet slots = new java.util.BitSet(ring.slots());
    for (int slot = 0; slot < ring.slots(); slot++) {
      if (ring.shardOfSlot(slot) == shard) {
        slots.set(slot);
      }
    }
    return slots;
  }

  /** The shard's recovery lease if this instance holds it or can take it now; else null. */
  private LockHandle lease(int shard, dev.faultline.ring.SlotRing ring) {
    LockHandle held = leases.get(shard);
    if (held != null && held.isHeld()) {
      return held;
    }
    leases.remove(shard);
    try {
      LockHandle acquired =
          locks
              .acquire(
                  "order-saga-recovery-shard-" + shard,
                  holder,
                  properties.recoveryLeaseTtl(),
                  Duration.ZERO,
                  lost -> log.warn("saga recovery lease for shard {} lost", shard))
              .orElse(null);
      if (acquired != null) {
        leases.put(shard, acquired);
        slotsAtLease.put(shard, owned(shard, ring));
        log.info(
            "saga recovery for shard {} is ours (fencing token {})",
            shard,
            acquired.fencingToken());
        warned = false;
      }
      return acquired;
    } catch (LockClientException | ServiceInstances.NoInstanceException | IllegalStateException e) {
      if (!warned) {
        log.warn("cannot take the saga recovery lease (retrying quietly): {}", e.getMessage());
        warned = true;
      }
      return null;
    }
  }
}
