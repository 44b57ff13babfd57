package dev.faultline.shard.topology;

import java.util.List;

/** One shard: its primary and replicas ({@code host:port}), and its {@link ShardState}. */
public record ShardInfo(int id, String primary, List<String> replicas, ShardState state) {

  public ShardInfo {
    replicas = List.copyOf(replicas);
    if (replicas.contains(primary)) {
      throw new IllegalArgumentException(
          "shard " + id + ": " + primary + " is primary and replica");
    }
  }

  public ShardInfo withState(ShardState next) {
    return new ShardInfo(id, primary, replicas, next);
  }

  /** The shard after {@code replica} is promoted: the old primary is listed as a replica to be. */
  public ShardInfo promoted(String replica, ShardState next) {
    if (!replicas.contains(replica)) {
      throw new IllegalArgumentException(replica + " is not a replica of shard " + id);
    }
    List<String> rest =
        java.util.stream.Stream.concat(
                replicas.stream().filter(r -> !r.equals(replica)),
                java.util.stream.Stream.of(primary))
            .toList();
    return new ShardInfo(id, replica, rest, next);
  }
}
