package dev.faultline.router.topology;

import dev.faultline.ring.Route;
import dev.faultline.router.failover.FailoverController;
import dev.faultline.router.failover.FailoverController.Outcome;
import dev.faultline.router.health.HealthMonitor;
import dev.faultline.router.health.NodeHealth;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyWatcher;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.Problems;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
  private final FailoverController failover;

  ShardController(TopologyWatcher topology, HealthMonitor health, FailoverController failover) {
    this.topology = topology;
    this.health = health;
    this.failover = failover;
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
  ResponseEntity<?> route(@RequestParam(required = false) String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "invalid-key",
          "Invalid key",
          "'key' is required, 1 to " + MAX_KEY_LENGTH + " characters");
    }
    TopologyWatcher.View view = topology.view();
    Route route = view.ring().route(key);
    ShardInfo shard = view.topology().shard(route.shard()).orElseThrow();
    return ResponseEntity.ok(
        new RouteView(
            key,
            HexFormat.of().toHexDigits(route.hash()),
            route.slot(),
            route.shard(),
            shard.primary(),
            view.epoch()));
  }

  @PostMapping("/{id}/failover")
  ResponseEntity<?> failover(@PathVariable int id, Caller caller) throws Exception {
    if (!caller.isAdmin()) {
      return problem(
          HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "shard administration needs admin");
    }
    return switch (failover.failover(id)) {
      case Outcome.Done(Topology t) -> {
        health.probeAll(); // show the nodes as they are now, not as the last round saw them
        yield ResponseEntity.ok(shardView(t.shard(id).orElseThrow(), -1).withEpoch(t.epoch()));
      }
      case Outcome.NoSuchShard() ->
          problem(HttpStatus.NOT_FOUND, "shard-not-found", "Shard not found", "no shard " + id);
      case Outcome.NotPromotable(String reason) ->
          problem(HttpStatus.CONFLICT, "not-promotable", "Replica not promotable", reason);
      case Outcome.NotLeader() ->
          ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
              .header(HttpHeaders.RETRY_AFTER, "1")
              .contentType(MediaType.APPLICATION_PROBLEM_JSON)
              .body(
                  Problems.of(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      "not-leader",
                      "Not the leading router",
                      "this router is not the elected leader; retry (the gateway picks another)"));
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

  private static ResponseEntity<Object> problem(
      HttpStatus status, String slug, String title, String detail) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(status, slug, title, detail));
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
