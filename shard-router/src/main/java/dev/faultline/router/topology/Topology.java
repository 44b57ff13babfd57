package dev.faultline.router.topology;

import java.util.List;

/**
 * Which nodes serve which shard, under an epoch. Every change is a compare-and-set on the ZooKeeper
 * node that holds it and bumps the epoch, so writers can tell an old view from the current one.
 */
public record Topology(long epoch, List<ShardNodes> shards) {

  public Topology {
    shards = List.copyOf(shards);
  }

  /** One shard's primary and replicas, as {@code host:port}. */
  public record ShardNodes(int id, String primary, List<String> replicas) {
    public ShardNodes {
      replicas = List.copyOf(replicas);
    }
  }
}
