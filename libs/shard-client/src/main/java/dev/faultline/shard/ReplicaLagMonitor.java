package dev.faultline.shard;

import dev.faultline.replication.ReplicationState;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.TopologyWatcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far each shard's replica trails, measured on the replica twice a second: zero when it has
 * replayed all it received while streaming, else the age of the last replayed transaction. A
 * replica that is not streaming, not in recovery or not answering has no reading, and reads that
 * allow staleness go to the primary instead.
 */
final class ReplicaLagMonitor implements AutoCloseable {
  private static final long PERIOD_MS = 500;
  private static final long READING_VALID_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** One measurement of one replica. */
  record Reading(String replica, double lagSeconds, long atNanos) {}

  private final Map<Integer, Reading> readings = new ConcurrentHashMap<>();

  /** Shards whose gauge is registered: once each, not on every round. */
  private final java.util.Set<Integer> gauged = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("replica-lag").factory());
  private final TopologyWatcher topology;
  private final NodePools pools;
  private final MeterRegistry meters;

  ReplicaLagMonitor(TopologyWatcher topology, NodePools pools, MeterRegistry meters) {
    this.topology = topology;
    this.pools = pools;
    this.meters = meters;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::measureAll, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** A replica of {@code shard} whose lag is known and within {@code maxLagSeconds}. */
  Optional<String> replicaWithin(int shard, double maxLagSeconds) {
    Reading reading = readings.get(shard);
    if (reading == null
        || System.nanoTime() - reading.atNanos() > READING_VALID_NANOS
        || reading.lagSeconds() > maxLagSeconds) {
      return Optional.empty();
    }
    ShardInfo info = topology.topology().shard(shard).orElse(null);
    // The reading must be of a node that is still a replica of this shard in the current view.
    return info != null && info.replicas().contains(reading.replica())
        ? Optional.of(reading.replica())
        : Optional.empty();
  }

  private void measureAll() {
    for (ShardInfo shard : topology.topology().shards()) {
      if (gauged.add(shard.id())) {
        Gauge.builder("shard.replication.lag", this, m -> m.lagOf(shard.id()))
            .baseUnit("seconds")
            .description("how far the shard's replica trails its primary; NaN when unknown")
            .tag("shard", Integer.toString(shard.id()))
            .register(meters);
      }
      if (shard.replicas().isEmpty()) {
        readings.remove(shard.id());
        continue;
      }
      String replica = shard.replicas().getFirst();
      measure(replica)
          .ifPresentOrElse(
              lag -> readings.put(shard.id(), new Reading(replica, lag, System.nanoTime())),
              () -> readings.remove(shard.id()));
    }
  }

  private double lagOf(int shard) {
    Reading reading = readings.get(shard);
    return reading == null || System.nanoTime() - reading.atNanos() > READING_VALID_NANOS
        ? Double.NaN
        : reading.lagSeconds();
  }

  private Optional<Double> measure(String replica) {
    try (Connection c = pools.node(replica).getConnection()) {
      return ReplicationState.read(c) instanceof ReplicationState.Replica r && r.streaming()
          ? Optional.of(r.lagSeconds())
          : Optional.empty();
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
