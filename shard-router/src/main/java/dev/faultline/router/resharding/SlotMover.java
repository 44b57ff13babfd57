package dev.faultline.router.resharding;

import dev.faultline.failpoints.Failpoints;
import dev.faultline.router.RouterProperties;
import dev.faultline.router.failover.Leadership;
import dev.faultline.router.failover.RouterLease;
import dev.faultline.router.resharding.Migration.Batch;
import dev.faultline.router.resharding.Migration.Phase;
import dev.faultline.router.resharding.Migration.Status;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs resharding jobs, one at a time, on the leader only and under its lease: each batch of slots
 * is prepared, copied, caught up, cut over and cleaned up (see {@link Migration.Phase}). Every
 * phase is recorded in ZooKeeper before it runs and is safe to run again, so a leader that dies at
 * any point leaves a job its successor resumes.
 *
 * <p>The cutover is what writers feel. In order: the topology freezes the slots (epoch bump: their
 * writers wait); the source refuses writes to them (its fence row's lock waits for those in
 * flight); the last captured changes are applied; the target lifts any old refusal of them; the
 * source refuses reads too; the topology gives the slots to the target (epoch bump: the writers go
 * on there). Given up before the last step (the target failed, say), the source serves them again.
 */
@Component
public class SlotMover implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SlotMover.class);
  static final String COPIED = "reshard.copied";
  static final String FROZEN = "reshard.source-frozen";
  static final String GONE = "reshard.source-gone";

  private final MigrationStore jobs;
  private final TopologyStore topology;
  private final Leadership leadership;
  private final RouterLease lease;
  private final SlotCopier copier;
  private final RouterProperties.Resharding settings;
  private final Clock clock = Clock.systemUTC();
  private final Timer pauses;
  private final Counter rows;
  private final Counter slotsMoved;
  private final Counter rollbacks;
  private volatile boolean running;
  private @Nullable Thread loop;

  SlotMover(
      MigrationStore jobs,
      TopologyStore topology,
      Leadership leadership,
      RouterLease lease,
      SlotCopier copier,
      RouterProperties properties,
      MeterRegistry meters) {
    this.jobs = jobs;
    this.topology = topology;
    this.leadership = leadership;
    this.lease = lease;
    this.copier = copier;
    this.settings = properties.resharding();
    this.pauses =
        Timer.builder("shard.reshard.cutover")
            .description("how long a batch's slots were frozen for writes during its cutover")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
    this.rows =
        Counter.builder("shard.reshard.rows")
            .description("rows copied to their slots' new shards (copies and catch-up)")
            .register(meters);
    this.slotsMoved =
        Counter.builder("shard.reshard.slots")
            .description("slots whose cutover to a new shard finished")
            .register(meters);
    this.rollbacks =
        Counter.builder("shard.reshard.rollbacks")
            .description("cutovers given up before the switch, the source serving the slots again")
            .register(meters);
  }

  /** The batches moving {@code slots} (by their new owner) from wherever they are. */
  public List<Batch> plan(Topology current, Map<Integer, List<Integer>> byTarget) {
    return plan(current, byTarget, settings.batchSlots());
  }

  /**
   * Batches of at most {@code batchSlots} slots, each from one source to one target; slots already
   * at their target are left out.
   */
  static List<Batch> plan(Topology current, Map<Integer, List<Integer>> byTarget, int batchSlots) {
    var ring = current.slotRing();
    List<Batch> batches = new java.util.ArrayList<>();
    byTarget.forEach(
        (target, slots) -> {
          Map<Integer, List<Integer>> bySource = new java.util.TreeMap<>();
          for (int slot : slots) {
            int source = ring.shardOfSlot(slot);
            if (source != target) {
              bySource.computeIfAbsent(source, k -> new java.util.ArrayList<>()).add(slot);
            }
          }
          bySource.forEach(
              (source, list) -> {
                for (int i = 0; i < list.size(); i += batchSlots) {
                  batches.add(
                      new Batch(
                          source, target, list.subList(i, Math.min(list.size(), i + batchSlots))));
                }
              });
        });
    return batches;
  }

  /** Records a new job; it starts on the leader's next round. */
  public Migration submit(String id, String kind, List<Batch> batches) throws Exception {
    Instant now = clock.instant();
    Migration job =
        new Migration(
            id,
            kind,
            batches,
            0,
            Phase.PREPARE,
            batches.isEmpty() ? Status.DONE : Status.RUNNING,
            0,
            List.of(),
            now,
            now,
            batches.isEmpty() ? now : null,
            null);
    if (!jobs.create(job)) {
      throw new IllegalStateException("a job named " + id + " exists already");
    }
    synchronized (this) {
      notifyAll();
    }
    return job;
  }

  public Optional<Migration> running() throws Exception {
    return jobs.all().stream().filter(m -> m.status() == Status.RUNNING).findFirst();
  }

  private void run() {
    while (running) {
      try {
        if (leadership.isLeader() && lease.mayAct()) {
          Optional<Migration> job = running();
          if (job.isPresent()) {
            drive(job.get().id());
            continue;
          }
        }
      } catch (Exception e) {
        log.warn("resharding round failed: {}", e.toString());
      }
      synchronized (this) {
        try {
          wait(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Drives one job until it ends, fails a step (retried next round) or leadership goes. */
  private void drive(String id) throws Exception {
    while (running && leadership.isLeader() && lease.mayAct()) {
      MigrationStore.Versioned read = jobs.read(id).orElseThrow();
      Migration job = read.migration();
      Batch batch = job.current();
      if (job.status() != Status.RUNNING) {
        return;
      }
      if (batch == null) {
        save(read, job.ended(Status.DONE, null, clock.instant()));
        log.info("resharding {} done: {} slots, {} rows", id, job.slotsTotal(), job.rowsCopied());
        return;
      }
      try {
        MigrationStore.Versioned after = step(read, batch);
        if (after == null) {
          return; // someone else changed the job: read it again next round
        }
      } catch (SlotCopier.StaleMoverException e) {
        log.warn("resharding {} stops here: {}", id, e.getMessage());
        return;
      } catch (Exception e) {
        log.warn(
            "resharding {} batch {} {} failed, retrying: {}",
            id,
            job.batch(),
            job.phase(),
            e.toString());
        jobs.read(id)
            .ifPresent(
                v -> {
                  try {
                    jobs.update(v, v.migration().failedOnce(e.toString(), clock.instant()));
                  } catch (Exception ignored) {
                    // Recording the error is best effort.
                  }
                });
        Thread.sleep(1000);
        return;
      }
    }
  }

  private MigrationStore.@Nullable Versioned step(MigrationStore.Versioned read, Batch batch)
      throws Exception {
    Migration job = read.migration();
    Topology now = topology.read().orElseThrow().topology();
    String source = primary(now, batch.source());
    String target = primary(now, batch.target());
    long token = lease.token();
    switch (job.phase()) {
      case PREPARE -> {
        Map<String, SlotCopier.Table> tables = copier.tables(source);
        var missing = new java.util.ArrayList<>(tables.keySet());
        missing.removeAll(copier.tables(target).keySet());
        if (!missing.isEmpty()) {
          throw new IllegalStateException(
              "shard " + batch.target() + " lacks " + missing + " (its services migrate it)");
        }
        // Until its cutover the target holds a copy, not the truth: it refuses the slots (a
        // client with a topology from when it owned them once must not write there).
        copier.refuse(target, batch.slots(), now.epoch(), token);
        copier.prepare(source, batch.slots(), token);
        return save(read, job.at(Phase.COPY, clock.instant()));
      }
      case COPY -> {
        Throttle throttle =
            new Throttle(
                settings.rowsPerSecond(),
                () -> Math.max(copier.probeNanos(source), copier.probeNanos(target)));
        long copied =
            copier.copy(
                source, target, copier.tables(source), batch.slots(), token, throttle::pace);
        rows.increment(copied);
        Failpoints.hit(COPIED);
        return save(read, job.copied(copied, clock.instant()).at(Phase.CATCH_UP, clock.instant()));
      }
      case CATCH_UP -> {
        long applied = 0;
        try (SlotCopier.Pinned pinned = copier.pin()) { // the passes share their connections
          var tables = copier.tables(source);
          for (int pass = 0; pass < 50; pass++) {
            int n = copier.catchUp(source, target, tables, batch.slots(), token, 2000);
            applied += n;
            if (n < settings.catchUpBelow()) {
              break;
            }
          }
        }
        rows.increment(applied);
        return save(read, job.copied(applied, clock.instant()).at(Phase.CUTOVER, clock.instant()));
      }
      case CUTOVER -> {
        return save(read, cutover(job, batch, source, target, token));
      }
      case CLEANUP -> {
        copier.cleanup(source, copier.tables(source), batch.slots(), token);
        log.info(
            "resharding {}: batch {}/{} ({} slots, {} -> {}) done",
            job.id(),
            job.batch() + 1,
            job.batches().size(),
            batch.slots().size(),
            batch.source(),
            batch.target());
        return save(read, job.nextBatch(clock.instant()));
      }
    }
    throw new IllegalStateException("unknown phase " + job.phase());
  }

  private Migration cutover(Migration job, Batch batch, String source, String target, long token)
      throws Exception {
    List<Integer> slots = batch.slots();
    if (owned(topology.read().orElseThrow().topology(), slots, batch.target())) {
      return job.at(Phase.CLEANUP, clock.instant()); // a previous try got as far as the switch
    }
    long started;
    Exception failure = null;
    // One connection per node for the whole cutover, opened before the pause: connecting
    // (authentication, a backend's start) would otherwise be most of each small step.
    try (SlotCopier.Pinned pinned = copier.pin()) {
      var tables = copier.tables(source);
      copier.probeNanos(target);
      started = System.nanoTime();
      Topology frozen = change(t -> t.freezing(slots));
      try {
        copier.freezeSource(source, slots, frozen.epoch(), token);
        Failpoints.hit(FROZEN);
        long applied = 0;
        int n;
        do {
          n = copier.catchUp(source, target, tables, slots, token, 5000);
          applied += n;
        } while (n > 0);
        rows.increment(applied);
        copier.serve(target, slots, token);
        copier.refuse(source, slots, frozen.epoch(), token);
        Failpoints.hit(GONE);
        change(t -> t.moving(slots, batch.target()));
      } catch (Exception e) {
        failure = e;
      }
    }
    if (failure != null) {
      rollBack(batch, source, target, token, failure); // on fresh connections
      throw failure;
    }
    Duration paused = Duration.ofNanos(System.nanoTime() - started);
    pauses.record(paused);
    slotsMoved.increment(slots.size());
    log.info(
        "resharding {}: {} slots {} -> {}, writes paused {} ms",
        job.id(),
        slots.size(),
        batch.source(),
        batch.target(),
        paused.toMillis());
    return job.paused(paused.toMillis(), clock.instant()).at(Phase.CLEANUP, clock.instant());
  }

  /**
   * A cutover failed before the topology moved the slots: the source serves them again, and the
   * target, which may have lifted its refusal of them already, refuses them again (it holds a copy
   * that is not the truth until a cutover ends).
   */
  private void rollBack(Batch batch, String source, String target, long token, Exception cause) {
    try {
      Topology now = topology.read().orElseThrow().topology();
      if (owned(now, batch.slots(), batch.target())) {
        return; // the switch happened (its answer was lost): go on from there
      }
      copier.refuse(target, batch.slots(), now.epoch(), token);
      copier.serve(source, batch.slots(), token);
      change(t -> t.thawing(batch.slots()));
      rollbacks.increment();
      log.warn("cutover of {} slots rolled back: {}", batch.slots().size(), cause.toString());
    } catch (Exception e) {
      log.error("cutover rollback failed, the next try resumes it: {}", e.toString());
    }
  }

  private static boolean owned(Topology t, List<Integer> slots, int target) {
    var ring = t.slotRing();
    return slots.stream().allMatch(s -> ring.shardOfSlot(s) == target);
  }

  /** A topology change as the leader: compare-and-set over a fresh read, retried on a race. */
  private Topology change(UnaryOperator<Topology> next) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      TopologyStore.Versioned current = topology.read().orElseThrow();
      Topology proposed = next.apply(current.topology());
      var stored =
          topology.compareAndSet(
              current, proposed, List.of(topology.requireExists(leadership.guardPath())));
      if (stored.isPresent()) {
        return stored.get().topology();
      }
      if (!leadership.isLeader()) {
        break;
      }
    }
    throw new IllegalStateException("could not change the topology (contention or leadership)");
  }

  private static String primary(Topology t, int shard) {
    return t.shard(shard)
        .map(ShardInfo::primary)
        .orElseThrow(() -> new IllegalStateException("no shard " + shard + " in the topology"));
  }

  private MigrationStore.@Nullable Versioned save(MigrationStore.Versioned read, Migration next)
      throws Exception {
    return jobs.update(read, next).orElse(null);
  }

  /**
   * Paces the copy: at most its rows per second, and less while the shards answer slowly. Every 200
   * ms it times a one-row read on the source and the target; a round trip over three times the
   * quietest seen (plus 2 ms) means foreground queries queue behind the copy, and the rate halves
   * (down to a twentieth); quick answers bring it back up in steps of a tenth (AIMD, as TCP).
   */
  static final class Throttle {
    interface Probe {
      long nanos() throws Exception;
    }

    private final double maxRate;
    private final Probe probe;
    private double rate;
    private long floorNanos = Long.MAX_VALUE;
    private long nextProbe;
    private long due = System.nanoTime();

    Throttle(int rowsPerSecond, Probe probe) {
      this.maxRate = rowsPerSecond;
      this.rate = rowsPerSecond;
      this.probe = probe;
    }

    double rate() {
      return rate;
    }

    /** One probe's round trip: the rate halves if it says queries queue, else grows a step. */
    void observe(long rttNanos) {
      floorNanos = Math.min(floorNanos, rttNanos);
      if (rttNanos > 3 * floorNanos + 2_000_000L) {
        rate = Math.max(maxRate / 20, rate / 2);
      } else {
        rate = Math.min(maxRate, rate + maxRate / 10);
      }
    }

    void pace(long rows) {
      long now = System.nanoTime();
      if (now >= nextProbe) {
        nextProbe = now + 200_000_000L;
        long rtt;
        try {
          rtt = probe.nanos();
        } catch (Exception e) {
          rtt = Long.MAX_VALUE; // a node slow to answer at all: ease off
        }
        observe(rtt);
      }
      due = Math.max(due, now - 1_000_000_000L) + (long) (rows / rate * 1e9);
      long early = due - System.nanoTime();
      if (early > 0) {
        try {
          Thread.sleep(Duration.ofNanos(early));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void start() {
    running = true;
    loop = Thread.ofPlatform().daemon().name("slot-mover").start(this::run);
  }

  @Override
  public void stop() {
    running = false;
    Thread t = loop;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
