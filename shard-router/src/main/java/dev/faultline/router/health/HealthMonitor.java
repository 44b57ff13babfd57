package dev.faultline.router.health;

import dev.faultline.router.RouterProperties;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.TopologyWatcher;
import dev.faultline.web.lifecycle.Rounds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Probes every node of every shard each {@code probe-interval}, all nodes in parallel, and keeps
 * the latest health with how long each node has been down. Every router instance probes (so any of
 * them can answer {@code GET /api/shards}); only the leader acts on what it sees.
 */
@Component
public class HealthMonitor extends Rounds {

  /** The latest probe of a node, and since when it has been continuously down (or null). */
  public record Observation(NodeHealth health, long downSinceNanos) {
    public Duration downFor() {
      return downSinceNanos < 0
          ? Duration.ZERO
          : Duration.ofNanos(System.nanoTime() - downSinceNanos);
    }
  }

  private final Map<String, Observation> nodes = new ConcurrentHashMap<>();

  /** Shards whose gauge is registered: once each, not on every round. */
  private final java.util.Set<Integer> gauged = ConcurrentHashMap.newKeySet();

  private final List<Runnable> afterRound = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final TopologyWatcher topology;
  private final NodeProbe probe;
  private final RouterProperties properties;
  private final MeterRegistry meters;
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

  HealthMonitor(
      TopologyWatcher topology,
      NodeProbe probe,
      RouterProperties properties,
      MeterRegistry meters) {
    super("shard-health", properties.probeInterval());
    this.topology = topology;
    this.probe = probe;
    this.properties = properties;
    this.meters = meters;
  }

  @Override
  protected void round() {
    probeAll();
    afterRound.forEach(Runnable::run);
  }

  /** Runs after every probe round, on the monitor's thread (the failover controller's tick). */
  public void afterEachRound(Runnable action) {
    afterRound.add(action);
  }

  public Observation observation(String address) {
    return nodes.getOrDefault(
        address, new Observation(NodeHealth.down(address, "not probed yet"), System.nanoTime()));
  }

  /** Probes the nodes of every shard once, in parallel, and records what it saw. */
  public void probeAll() {
    List<String> addresses =
        topology.topology().shards().stream()
            .flatMap(s -> Stream.concat(Stream.of(s.primary()), s.replicas().stream()))
            .distinct()
            .toList();
    List<Future<NodeHealth>> results =
        addresses.stream().map(a -> probes.submit(() -> probe.probe(a))).toList();
    for (Future<NodeHealth> result : results) {
      try {
        record(result.get());
      } catch (Exception e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    nodes.keySet().retainAll(addresses);
    for (ShardInfo shard : topology.topology().shards()) {
      if (gauged.add(shard.id())) {
        Gauge.builder("shard.node.up", this, m -> m.upNodes(shard.id()))
            .description("nodes of the shard that answered the last probe")
            .tag("shard", Integer.toString(shard.id()))
            .register(meters);
      }
    }
  }

  private double upNodes(int shard) {
    return topology
        .topology()
        .shard(shard)
        .map(
            s ->
                Stream.concat(Stream.of(s.primary()), s.replicas().stream())
                    .filter(a -> observation(a).health().up())
                    .count())
        .orElse(0L);
  }

  private void record(NodeHealth health) {
    nodes.compute(
        health.address(),
        (address, previous) -> {
          long downSince =
              health.up()
                  ? -1
                  : previous != null && previous.downSinceNanos() >= 0
                      ? previous.downSinceNanos()
                      : System.nanoTime();
          return new Observation(health, downSince);
        });
  }

  @Override
  public void stop() {
    super.stop();
    probes.shutdownNow();
  }
}
