package dev.faultline.router.api;

import dev.faultline.ring.Route;
import dev.faultline.router.failover.ShardRepair;
import dev.faultline.router.failover.ShardRepair.Outcome;
import dev.faultline.router.health.HealthMonitor;
import dev.faultline.router.health.NodeHealth;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyWatcher;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.Rejections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The shard admin API (see CONTRACT.md): the topology with live health, routes, failover. */
@RestController
@RequestMapping("/api/shards")
class ShardController {
  private static final int MAX_KEY_LENGTH = 512;

  private final TopologyWatcher topology;
  private final HealthMonitor health;
  private final ShardRepair repair;

  ShardController(TopologyWatcher topology, HealthMonitor health, ShardRepair repair) {
    this.topology = topology;
    this.health = health;
    this.repair = repair;
  }

  @GetMapping
  ShardsView shards() {
    TopologyWatcher.View view = topology.view();
    var counts = view.ring().slotCounts();
    return new ShardsView(
        view.epoch(),
        view.ring().slots(),
        view.topology().ring().hash(),
        view.topology().shards().stream()
            .map(s -> shardView(s, counts.getOrDefault(s.id(), 0)))
            .toList());
  }

  @GetMapping("/route")
  RouteView route(@RequestParam(required = false) String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new ShardRejections.InvalidKey(MAX_KEY_LENGTH);
    }
    TopologyWatcher.View view = topology.view();
    Route route = view.ring().route(key);
    ShardInfo shard = view.topology().shard(route.shard()).orElseThrow();
    return new RouteView(
        key,
        HexFormat.of().toHexDigits(route.hash()),
        route.slot(),
        route.shard(),
        shard.primary(),
        view.epoch());
  }

  @PostMapping("/{id}/failover")
  ShardView failover(@PathVariable int id, Caller caller) throws Exception {
    if (!caller.isAdmin()) {
      throw new Rejections.Forbidden("shard administration needs admin");
    }
    return switch (repair.failover(id)) {
      case Outcome.Done(Topology t) -> {
        health.probeAll(); // show the nodes as they are now, not as the last round saw them
        yield shardView(t.shard(id).orElseThrow(), -1).withEpoch(t.epoch());
      }
      case Outcome.NoSuchShard() -> throw new ShardRejections.ShardNotFound(id);
      case Outcome.NotPromotable(String reason) -> throw new ShardRejections.NotPromotable(reason);
      case Outcome.NotLeader() -> throw new ShardRejections.NotLeader();
    };
  }

  private ShardView shardView(ShardInfo s, int slots) {
    List<NodeHealth> nodes =
        Stream.concat(Stream.of(s.primary()), s.replicas().stream())
            .map(a -> health.observation(a).health())
            .toList();
    Double lag =
        s.replicas().stream()
            .map(r -> health.observation(r).health())
            .filter(h -> h.isReplicaOf(s.primary()))
            .map(NodeHealth::lagSeconds)
            .findFirst()
            .orElse(null);
    return new ShardView(
        s.id(), s.primary(), s.replicas(), s.state(), slots < 0 ? null : slots, nodes, lag, null);
  }

  record ShardsView(long epoch, int slots, String hash, List<ShardView> shards) {}

  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record ShardView(
      int id,
      String primary,
      List<String> replicas,
      ShardState state,
      Integer slots,
      List<NodeHealth> health,
      Double replicationLagSeconds,
      Long epoch) {
    ShardView withEpoch(long e) {
      return new ShardView(id, primary, replicas, state, slots, health, replicationLagSeconds, e);
    }
  }

  record RouteView(String key, String hash, int slot, int shard, String primary, long epoch) {}
}
