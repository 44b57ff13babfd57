package dev.faultline.router.failover;

import dev.faultline.router.RouterProperties;
import dev.faultline.router.RouterProperties.ReplicaLossPolicy;
import dev.faultline.router.health.HealthMonitor;
import dev.faultline.router.health.NodeHealth;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The leader's repair loop, run after every health round. Per shard, in this order:
 *
 * <ol>
 *   <li>a failover left half-done (state {@code FAILING_OVER}) is finished;
 *   <li>a {@code SYNC} shard whose primary has been unreachable for {@code failover-after} gets its
 *       replica promoted. Only {@code SYNC} shards: only then does the replica hold every
 *       acknowledged write (each commit waited for its flush);
 *   <li>a {@code SYNC} shard whose replica has been gone for {@code replica-loss-after} applies the
 *       replica-loss policy ({@code DEGRADED} or {@code READ_ONLY});
 *   <li>a {@code DEGRADED} or {@code READ_ONLY} shard whose replica streams again, and has caught
 *       up under synchronous replication, goes back to {@code SYNC};
 *   <li>a node listed as a replica that runs as a primary (a deposed primary restarted as it was)
 *       is fenced off, so it refuses every write.
 * </ol>
 *
 * Every change is a compare-and-set of the topology guarded by leadership, and bumps the epoch;
 * with the lock-service lease on, the leader acts only while holding it, and every fence it moves
 * in PostgreSQL carries the lease's token. The state change comes before the action it permits or
 * follows the action it records, so that a router crash between the two leaves the shard in the
 * safer state.
 */
@Component
public class ShardRepair {
  private static final Logger log = LoggerFactory.getLogger(ShardRepair.class);

  private final TopologyStore store;
  private final HealthMonitor health;
  private final ShardAdmin admin;
  private final Leadership leadership;
  private final RouterLease lease;
  private final RouterProperties properties;
  private final Counter failovers;
  private final Map<String, Long> notStreamingSince = new ConcurrentHashMap<>();

  ShardRepair(
      TopologyStore store,
      HealthMonitor health,
      ShardAdmin admin,
      Leadership leadership,
      RouterLease lease,
      RouterProperties properties,
      MeterRegistry meters) {
    this.store = store;
    this.health = health;
    this.admin = admin;
    this.leadership = leadership;
    this.lease = lease;
    this.properties = properties;
    this.failovers =
        Counter.builder("shard.failovers")
            .description("replicas promoted to primary by this router")
            .register(meters);
    health.afterEachRound(this::tick);
  }

  /** What a manual failover request found. */
  public sealed interface Outcome {
    record Done(Topology topology) implements Outcome {}

    record NotLeader() implements Outcome {}

    record NoSuchShard() implements Outcome {}

    record NotPromotable(String reason) implements Outcome {}
  }

  synchronized void tick() {
    if (!leadership.isLeader()) {
      lease.release();
      return;
    }
    if (!lease.mayAct()) {
      return; // no lease (yet): another router may still be acting under its own
    }
    try {
      TopologyStore.Versioned current = store.read().orElse(null);
      if (current == null) {
        return;
      }
      for (ShardInfo shard : current.topology().shards()) {
        repair(shard);
      }
    } catch (Exception e) {
      log.warn("repair round failed: {}", e.toString());
    }
  }

  private void repair(ShardInfo shard) throws Exception {
    Optional<String> replica = shard.replicas().stream().findFirst();
    HealthMonitor.Observation primary = health.observation(shard.primary());
    switch (shard.state()) {
      case FAILING_OVER -> {
        if (replica.isPresent()) {
          promote(shard.id(), replica.get(), false);
        }
      }
      case SYNC -> {
        if (!primary.health().up()
            && primary.downFor().compareTo(properties.failoverAfter()) >= 0) {
          if (replica.isPresent() && health.observation(replica.get()).health().up()) {
            log.warn(
                "shard {}: primary {} unreachable for {} ms, promoting {}",
                shard.id(),
                shard.primary(),
                primary.downFor().toMillis(),
                replica.get());
            promote(shard.id(), replica.get(), true);
          }
        } else if (primary.health().isPrimary() && replicaLost(shard, replica)) {
          applyReplicaLossPolicy(shard);
        }
      }
      case DEGRADED, READ_ONLY -> {
        if (properties.unsafePromoteDegraded()
            && !primary.health().up()
            && primary.downFor().compareTo(properties.failoverAfter()) >= 0
            && replica.isPresent()
            && health.observation(replica.get()).health().up()) {
          // Unsafe on purpose (RouterProperties): the replica may lack acknowledged writes.
          log.error(
              "UNSAFE: shard {} is {}: promoting {}, which may not hold every acknowledged write",
              shard.id(),
              shard.state(),
              replica.get());
          promote(shard.id(), replica.get(), true);
        } else if (replica.isPresent()
            && primary.health().isPrimary()
            && health.observation(replica.get()).health().isReplicaOf(shard.primary())) {
          resync(shard, replica.get());
        }
      }
    }
    for (String r : shard.replicas()) {
      NodeHealth node = health.observation(r).health();
      if (node.isPrimary() && !Boolean.TRUE.equals(node.deposed())) {
        log.warn(
            "shard {}: {} runs as a primary but is listed as a replica; fencing it", shard.id(), r);
        admin.depose(r, shard.id(), store.read().orElseThrow().topology().epoch(), lease.token());
      }
    }
  }

  /** Gone means not streaming from the primary (down, or up and detached) for the threshold. */
  private boolean replicaLost(ShardInfo shard, Optional<String> replica) {
    if (replica.isEmpty()) {
      return true;
    }
    if (health.observation(replica.get()).health().isReplicaOf(shard.primary())) {
      notStreamingSince.remove(replica.get());
      return false;
    }
    long since = notStreamingSince.computeIfAbsent(replica.get(), r -> System.nanoTime());
    return Duration.ofNanos(System.nanoTime() - since).compareTo(properties.replicaLossAfter())
        >= 0;
  }

  private void applyReplicaLossPolicy(ShardInfo shard) throws Exception {
    if (properties.replicaLossPolicy() == ReplicaLossPolicy.DEGRADE) {
      // First forbid promotion, then stop waiting for the replica: never the other way round.
      if (change(shard.id(), s -> s.withState(ShardState.DEGRADED)).isPresent()) {
        admin.synchronous(shard.primary(), false);
        log.warn(
            "shard {}: replica lost; DEGRADED (asynchronous, promotion forbidden)", shard.id());
      }
    } else if (change(shard.id(), s -> s.withState(ShardState.READ_ONLY)).isPresent()) {
      log.warn("shard {}: replica lost; READ_ONLY until it is back in sync", shard.id());
    }
  }

  /**
   * Back to {@code SYNC}: let the replica catch up asynchronously first (so that turning
   * synchronous replication on does not stall writes behind a long catch-up), turn it on, wait
   * until the standby confirms, and until it holds everything written before (the commits
   * acknowledged while degraded). Only then is the shard promotable again.
   */
  private void resync(ShardInfo shard, String replica) throws Exception {
    notStreamingSince.remove(replica);
    if (!admin.awaitCaughtUp(shard.primary(), replica, Duration.ofSeconds(2))) {
      return; // still catching up: next round
    }
    admin.synchronous(shard.primary(), true);
    if (!admin.awaitSynchronousStandby(shard.primary(), Duration.ofSeconds(5))
        || !admin.awaitCaughtUp(shard.primary(), replica, Duration.ofSeconds(5))) {
      return; // not confirming yet: try again next round
    }
    if (change(shard.id(), s -> s.withState(ShardState.SYNC)).isPresent()) {
      log.info("shard {}: replica {} in sync again; SYNC (promotable)", shard.id(), replica);
    }
  }

  /**
   * Promotes {@code replica}: {@code FAILING_OVER} first (writers stop), fence the old primary if
   * it answers, promote, set synchronous replication per policy, establish the new primary's fence
   * at the final epoch, then publish the new primary.
   */
  private Optional<Topology> promote(int shardId, String replica, boolean start) throws Exception {
    Topology failing;
    if (start) {
      Optional<Topology> marked = change(shardId, s -> s.withState(ShardState.FAILING_OVER));
      if (marked.isEmpty()) {
        return Optional.empty();
      }
      failing = marked.get();
    } else {
      failing = store.read().orElseThrow().topology();
    }
    ShardInfo shard = failing.shard(shardId).orElseThrow();
    try {
      admin.depose(shard.primary(), shardId, failing.epoch() + 1, lease.token());
    } catch (StaleRouterTokenException newerRouter) {
      throw newerRouter;
    } catch (Exception unreachable) {
      // Expected when it died. It cannot acknowledge anything: its synchronous standby is the
      // replica being promoted, which will never confirm its commits again.
    }
    admin.promote(replica);
    boolean strict = properties.replicaLossPolicy() == ReplicaLossPolicy.REFUSE_WRITES;
    admin.synchronous(replica, strict);
    admin.establish(replica, shardId, failing.epoch() + 1, lease.token());
    Optional<Topology> done =
        change(
            shardId, s -> s.promoted(replica, strict ? ShardState.READ_ONLY : ShardState.DEGRADED));
    if (done.isPresent()) {
      failovers.increment();
      log.warn("shard {}: {} promoted; primary at epoch {}", shardId, replica, done.get().epoch());
    }
    return done;
  }

  /** A manual failover ({@code POST /api/shards/{id}/failover}): only of a promotable shard. */
  public synchronized Outcome failover(int shardId) throws Exception {
    if (!leadership.isLeader() || !lease.mayAct()) {
      return new Outcome.NotLeader();
    }
    Topology topology = store.read().orElseThrow().topology();
    Optional<ShardInfo> shard = topology.shard(shardId);
    if (shard.isEmpty()) {
      return new Outcome.NoSuchShard();
    }
    if (!shard.get().state().promotable()) {
      return new Outcome.NotPromotable(
          "shard "
              + shardId
              + " is "
              + shard.get().state()
              + ": its replica may lack acknowledged writes (or a failover is under way)");
    }
    Optional<String> replica =
        shard.get().replicas().stream()
            .filter(r -> health.observation(r).health().isReplicaOf(shard.get().primary()))
            .findFirst();
    if (replica.isEmpty()) {
      return new Outcome.NotPromotable("no replica of shard " + shardId + " is streaming");
    }
    Optional<Topology> marked = change(shardId, s -> s.withState(ShardState.FAILING_OVER));
    if (marked.isEmpty()) {
      return new Outcome.NotPromotable("the topology changed meanwhile; try again");
    }
    // A planned switchover: depose the old primary (waits for its in-flight writes), and let the
    // replica receive everything up to that point before promoting it.
    admin.depose(shard.get().primary(), shardId, marked.get().epoch() + 1, lease.token());
    if (!admin.awaitCaughtUp(shard.get().primary(), replica.get(), Duration.ofSeconds(10))) {
      log.warn("shard {}: replica did not catch up in 10 s; promoting what it has", shardId);
    }
    return promote(shardId, replica.get(), false)
        .<Outcome>map(Outcome.Done::new)
        .orElse(new Outcome.NotPromotable("the topology changed meanwhile; try again"));
  }

  private Optional<Topology> change(int shardId, UnaryOperator<ShardInfo> change) throws Exception {
    TopologyStore.Versioned current = store.read().orElseThrow();
    Topology next = current.topology().next(shardId, change);
    return store
        .compareAndSet(current, next, List.of(store.requireExists(leadership.guardPath())))
        .map(TopologyStore.Versioned::topology);
  }
}
