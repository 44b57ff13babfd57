package dev.faultline.router.topology;

import dev.faultline.router.health.NodeHealth;
import dev.faultline.router.health.NodeProbe;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The shard admin API (see CONTRACT.md). */
@RestController
@RequestMapping("/api/shards")
class ShardController {
  private final TopologyStore topology;
  private final NodeProbe probe;

  ShardController(TopologyStore topology, NodeProbe probe) {
    this.topology = topology;
    this.probe = probe;
  }

  @GetMapping
  ShardsView shards() throws Exception {
    Topology current = topology.current();
    return new ShardsView(
        current.epoch(),
        current.shards().stream()
            .map(
                s -> {
                  List<NodeHealth> nodes =
                      Stream.concat(Stream.of(s.primary()), s.replicas().stream())
                          .map(probe::probe)
                          .toList();
                  Double lag =
                      nodes.stream()
                          .skip(1)
                          .map(NodeHealth::replicationLagSeconds)
                          .filter(java.util.Objects::nonNull)
                          .max(Double::compare)
                          .orElse(null);
                  return new ShardView(s.id(), s.primary(), s.replicas(), nodes, lag);
                })
            .toList());
  }

  record ShardsView(long epoch, List<ShardView> shards) {}

  record ShardView(
      int id,
      String primary,
      List<String> replicas,
      List<NodeHealth> health,
      Double replicationLagSeconds) {}
}
