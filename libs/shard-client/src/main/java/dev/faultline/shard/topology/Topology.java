package dev.faultline.shard.topology;

import dev.faultline.ring.SlotRing;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The whole data tier under one epoch: the ring, every shard and the slots frozen for a cutover.
 * Immutable; {@link #next} derives the successor a compare-and-set installs.
 *
 * <p>A listed shard may hold no slots: one just registered (slots are moving to it) or one drained
 * (to be removed). {@code frozen} are the slots whose owner is changing right now: their writers
 * wait (the cutover takes well under a second) instead of writing to either owner.
 */
public record Topology(long epoch, RingSpec ring, List<ShardInfo> shards, List<Integer> frozen) {

  public Topology {
    shards = List.copyOf(shards);
    frozen = frozen == null ? List.of() : List.copyOf(new java.util.TreeSet<>(frozen));
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs start at 1");
    }
    SlotRing decoded = ring.ring();
    List<Integer> ids = shards.stream().map(ShardInfo::id).sorted().toList();
    if (ids.stream().distinct().count() != ids.size()) {
      throw new IllegalArgumentException("shard ids listed twice: " + ids);
    }
    if (!ids.containsAll(decoded.shardIds())) {
      throw new IllegalArgumentException(
          "the slot table places keys on shards " + decoded.shardIds() + ", listed are " + ids);
    }
    for (int slot : frozen) {
      if (slot < 0 || slot >= decoded.slots()) {
        throw new IllegalArgumentException("frozen slot " + slot + " is not on the ring");
      }
    }
  }

  public Topology(long epoch, RingSpec ring, List<ShardInfo> shards) {
    this(epoch, ring, shards, List.of());
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
        shards.stream().map(s -> s.id() == shardId ? change.apply(s) : s).toList(),
        frozen);
  }

  /** The successor with one more shard listed (holding no slots yet). */
  public Topology withShard(ShardInfo added) {
    if (shard(added.id()).isPresent()) {
      throw new IllegalArgumentException("shard " + added.id() + " is already listed");
    }
    List<ShardInfo> next = new java.util.ArrayList<>(shards);
    next.add(added);
    next.sort(java.util.Comparator.comparingInt(ShardInfo::id));
    return new Topology(epoch + 1, ring, next, frozen);
  }

  /** The successor without a shard, which must hold no slots. */
  public Topology withoutShard(int id) {
    if (slotRing().slotCounts().containsKey(id)) {
      throw new IllegalArgumentException("shard " + id + " still holds slots");
    }
    return new Topology(
        epoch + 1, ring, shards.stream().filter(s -> s.id() != id).toList(), frozen);
  }

  /** The successor with {@code slots} frozen as well: their cutover begins. */
  public Topology freezing(java.util.Collection<Integer> slots) {
    List<Integer> next = new java.util.ArrayList<>(frozen);
    next.addAll(slots);
    return new Topology(epoch + 1, ring, shards, next);
  }

  /** The successor where {@code slots} belong to {@code target} and are no longer frozen. */
  public Topology moving(java.util.Collection<Integer> slots, int target) {
    if (shard(target).isEmpty()) {
      throw new IllegalArgumentException("no shard " + target);
    }
    List<Integer> still = frozen.stream().filter(s -> !slots.contains(s)).toList();
    return new Topology(
        epoch + 1, RingSpec.of(slotRing().reassigned(slots, target)), shards, still);
  }

  /** The successor with {@code slots} thawed and their owner unchanged (a cutover rolled back). */
  public Topology thawing(java.util.Collection<Integer> slots) {
    return new Topology(
        epoch + 1, ring, shards, frozen.stream().filter(s -> !slots.contains(s)).toList());
  }

  public boolean isFrozen(int slot) {
    return java.util.Collections.binarySearch(frozen, slot) >= 0;
  }

  /** Decodes the slot table: keep the result, do not call per request. */
  public SlotRing slotRing() {
    return ring.ring();
  }
}
