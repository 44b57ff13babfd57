package dev.faultline.shard.topology;

import dev.faultline.ring.SlotRing;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The whole data tier under one epoch: the ring and every shard. Immutable; {@link #next} derives
 * the successor a compare-and-set installs.
 */
public record Topology(long epoch, RingSpec ring, List<ShardInfo> shards) {

  public Topology {
    shards = List.copyOf(shards);
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs start at 1");
    }
    SlotRing decoded = ring.ring();
    List<Integer> ids = shards.stream().map(ShardInfo::id).sorted().toList();
    if (!decoded.shardIds().equals(ids)) {
      throw new IllegalArgumentException(
          "the slot table places keys on shards " + decoded.shardIds() + ", listed are " + ids);
    }
  }

  /** The first topology of a set of shards: epoch 1, a balanced ring. */
  public static Topology initial(List<ShardInfo> shards) {
    return new Topology(
        1, RingSpec.of(SlotRing.balanced(shards.stream().map(ShardInfo::id).toList())), shards);
  }

  public Optional<ShardInfo> shard(int id) {
    return shards.stream().filter(s -> s.id() == id).findFirst();
  }

  /** The successor with one shard changed and the epoch bumped. */
  public Topology next(int shardId, UnaryOperator<ShardInfo> change) {
    if (shard(shardId).isEmpty()) {
      throw new IllegalArgumentException("no shard " + shardId);
    }
    return new Topology(
        epoch + 1,
        ring,
        shards.stream().map(s -> s.id() == shardId ? change.apply(s) : s).toList());
  }

  /** Decodes the slot table: keep the result, do not call per request. */
  public SlotRing slotRing() {
    return ring.ring();
  }
}
