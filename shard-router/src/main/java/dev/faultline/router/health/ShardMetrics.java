package dev.faultline.router.health;

import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.TopologyWatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the data tier looks like from the router's probes, for the "shards writable" SLO and the
 * shard alerts ({@code monitoring/slo.yaml}, {@code monitoring/prometheus/rules}):
 *
 * <ul>
 *   <li>{@code shard_write_probes_total{shard,writable}}: every probe round counts each shard once,
 *       writable or not, so the SLI is a plain ratio of events, comparable across routers;
 *   <li>{@code shard_writable{shard}}: 1 when the last round found it writable;
 *   <li>{@code shard_state{shard,state}}: 1 for the topology's current state, 0 for the others;
 *   <li>{@code shard_synchronous_standbys{shard}}: standbys confirming the primary's commits;
 *   <li>{@code shard_topology_epoch}: the epoch this router sees, which every change bumps.
 * </ul>
 *
 * Writable means what a client would find: the topology's primary answers as a primary that was not
 * deposed, the state allows writes, and in {@code SYNC} a standby confirms commits (without one a
 * commit waits forever).
 */
@Component
class ShardMetrics {
  private final TopologyWatcher topology;
  private final HealthMonitor health;
  private final MeterRegistry meters;
  private final Set<Integer> registered = ConcurrentHashMap.newKeySet();

  ShardMetrics(TopologyWatcher topology, HealthMonitor health, MeterRegistry meters) {
    this.topology = topology;
    this.health = health;
    this.meters = meters;
    Gauge.builder("shard.topology.epoch", topology, t -> t.topology().epoch())
        .description("the shard topology's epoch as this router sees it; every change bumps it")
        .register(meters);
    health.afterEachRound(this::countRound);
  }

  static boolean writable(ShardInfo shard, NodeHealth primary) {
    boolean confirmed =
        shard.state() != ShardState.SYNC
            || (primary.synchronousStandbys() != null && primary.synchronousStandbys() > 0);
    return shard.state().writable()
        && primary.isPrimary()
        && !Boolean.TRUE.equals(primary.deposed())
        && confirmed;
  }

  private void countRound() {
    for (ShardInfo shard : topology.topology().shards()) {
      register(shard.id());
      boolean writable = writable(shard, health.observation(shard.primary()).health());
      probes(shard.id(), writable).increment();
    }
  }

  private void register(int id) {
    if (!registered.add(id)) {
      return;
    }
    String shard = Integer.toString(id);
    probes(id, true);
    probes(id, false);
    Gauge.builder("shard.writable", this, m -> m.current(id).map(m::writableNow).orElse(0.0))
        .description("1 when the shard's primary accepted writes at the last probe, else 0")
        .tag("shard", shard)
        .register(meters);
    Gauge.builder(
            "shard.synchronous.standbys",
            this,
            m ->
                m.current(id)
                    .map(s -> health.observation(s.primary()).health().synchronousStandbys())
                    .map(Integer::doubleValue)
                    .orElse(Double.NaN))
        .description("standbys confirming the shard primary's commits, per the last probe")
        .tag("shard", shard)
        .register(meters);
    for (ShardState state : ShardState.values()) {
      Gauge.builder(
              "shard.state",
              this,
              m -> m.current(id).filter(s -> s.state() == state).isPresent() ? 1.0 : 0.0)
          .description("1 for the shard's current state in the topology, 0 for the others")
          .tag("shard", shard)
          .tag("state", state.name())
          .register(meters);
    }
  }

  private double writableNow(ShardInfo shard) {
    return writable(shard, health.observation(shard.primary()).health()) ? 1.0 : 0.0;
  }

  private Optional<ShardInfo> current(int id) {
    return topology.topology().shard(id);
  }

  private Counter probes(int shard, boolean writable) {
    return Counter.builder("shard.write.probes")
        .description("probe rounds that found the shard writable, or not (writable label)")
        .tag("shard", Integer.toString(shard))
        .tag("writable", Boolean.toString(writable))
        .register(meters);
  }
}
