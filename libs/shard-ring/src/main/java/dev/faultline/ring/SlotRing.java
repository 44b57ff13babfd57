package dev.faultline.ring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Fixed hash slots with a balanced, minimal-movement placement: the design of Redis Cluster, Vitess
 * keyspace ranges and Citus shard intervals, with the placement decided by rendezvous hashing
 * instead of by an operator.
 *
 * <p>A key's 64-bit {@link KeyHash} maps to one of {@link #slots()} slots by a multiply-high range
 * reduction (every slot gets an equal share of the hash space). A table names each slot's shard.
 * Why a table instead of a ring of virtual nodes: with vnodes a shard's share of the hash space is
 * a sum of random arc lengths, and at 160 vnodes the busiest shard still carries 12–19% more than
 * the mean; a table hands every shard {@code floor} or {@code ceil} of {@code slots/n} slots, so
 * the only imbalance left is the keys' own randomness.
 *
 * <p>The table changes by rules that move the fewest keys possible:
 *
 * <ul>
 *   <li>{@link #withShard adding a shard} takes {@code floor(slots/(n+1))} slots, one at a time
 *       from whichever shard holds the most, so keys only ever move to the new shard;
 *   <li>{@link #withoutShard removing a shard} hands its slots, one at a time, to whichever shard
 *       holds the fewest, so only the removed shard's keys move.
 * </ul>
 *
 * Which of a donor's slots move is decided by a rendezvous score of (slot, shard): deterministic,
 * so the same history gives the same table in every process, and spread evenly over the hash space.
 * The table itself is what the topology stores ({@link #encode()}); processes read it rather than
 * recompute it, so an improved placement rule never re-routes keys by itself.
 */
public final class SlotRing {
  /** 2^14 slots, as Redis Cluster: small enough to store, enough for balance up to ~256 shards. */
  public static final int DEFAULT_SLOTS = 16_384;

  private static final int MAX_SHARD_ID = Short.MAX_VALUE;

  private final short[] owners;

  private SlotRing(short[] owners) {
    this.owners = owners;
  }

  /** The table a fresh set of shards starts with: as if they had been added one by one. */
  public static SlotRing balanced(List<Integer> shardIds, int slots) {
    if (shardIds.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one shard");
    }
    if (slots < shardIds.size() || slots > 1 << 20) {
      throw new IllegalArgumentException(
          "slots must be between the number of shards and 2^20, not " + slots);
    }
    List<Integer> ids = shardIds.stream().sorted().distinct().toList();
    if (ids.size() != shardIds.size()) {
      throw new IllegalArgumentException("duplicate shard ids: " + shardIds);
    }
    short[] owners = new short[slots];
    Arrays.fill(owners, checkedId(ids.getFirst()));
    SlotRing ring = new SlotRing(owners);
    for (int id : ids.subList(1, ids.size())) {
      ring = ring.withShard(id);
    }
    return ring;
  }

  public static SlotRing balanced(List<Integer> shardIds) {
    return balanced(shardIds, DEFAULT_SLOTS);
  }

  /** The slot a hash falls in: Lemire's multiply-high reduction, uniform and division-free. */
  public static int slotOf(long hash, int slots) {
    return (int) Math.unsignedMultiplyHigh(hash, slots);
  }

  public int shardOf(String key) {
    return owners[slotOf(KeyHash.of(key), owners.length)];
  }

  public int shardOfHash(long hash) {
    return owners[slotOf(hash, owners.length)];
  }

  public int shardOfSlot(int slot) {
    return owners[slot];
  }

  public Route route(String key) {
    long hash = KeyHash.of(key);
    int slot = slotOf(hash, owners.length);
    return new Route(key, hash, slot, owners[slot]);
  }

  public int slots() {
    return owners.length;
  }

  /** Shard id → number of slots it serves. */
  public SortedMap<Integer, Integer> slotCounts() {
    SortedMap<Integer, Integer> counts = new TreeMap<>();
    for (short owner : owners) {
      counts.merge((int) owner, 1, Integer::sum);
    }
    return counts;
  }

  public List<Integer> shardIds() {
    return List.copyOf(slotCounts().keySet());
  }

  /** A new table with {@code newShard} added; only slots that move to it change owner. */
  public SlotRing withShard(int newShard) {
    short id = checkedId(newShard);
    SortedMap<Integer, Integer> counts = slotCounts();
    if (counts.containsKey(newShard)) {
      throw new IllegalArgumentException("shard " + newShard + " is already on the ring");
    }
    int take = owners.length / (counts.size() + 1);
    // Each donor offers its slots best-scored first for the new shard.
    TreeMap<Integer, List<Integer>> offered = new TreeMap<>();
    for (int slot = 0; slot < owners.length; slot++) {
      offered.computeIfAbsent((int) owners[slot], k -> new ArrayList<>()).add(slot);
    }
    offered
        .values()
        .forEach(
            slots -> slots.sort(Comparator.comparingLong((Integer s) -> score(s, id)).reversed()));
    record Donor(int shard, int count, int next) {}
    PriorityQueue<Donor> donors =
        new PriorityQueue<>(
            Comparator.comparingInt(Donor::count).reversed().thenComparingInt(Donor::shard));
    counts.forEach((shard, count) -> donors.add(new Donor(shard, count, 0)));
    short[] next = owners.clone();
    for (int i = 0; i < take; i++) {
      Donor donor = donors.poll();
      next[offered.get(donor.shard()).get(donor.next())] = id;
      donors.add(new Donor(donor.shard(), donor.count() - 1, donor.next() + 1));
    }
    return new SlotRing(next);
  }

  /** A new table without {@code shard}; only its slots change owner. */
  public SlotRing withoutShard(int shard) {
    SortedMap<Integer, Integer> counts = slotCounts();
    if (!counts.containsKey(shard)) {
      throw new IllegalArgumentException("shard " + shard + " is not on the ring");
    }
    if (counts.size() == 1) {
      throw new IllegalArgumentException("cannot remove the last shard");
    }
    counts.remove(shard);
    int[] ids = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    int[] held = counts.values().stream().mapToInt(Integer::intValue).toArray();
    short[] next = owners.clone();
    for (int slot = 0; slot < owners.length; slot++) {
      if (owners[slot] != shard) {
        continue;
      }
      // Water-filling: the slot goes to a least-loaded shard, the best-scored among equals.
      int best = -1;
      for (int i = 0; i < ids.length; i++) {
        if (best < 0
            || held[i] < held[best]
            || (held[i] == held[best] && score(slot, ids[i]) > score(slot, ids[best]))) {
          best = i;
        }
      }
      next[slot] = (short) ids[best];
      held[best]++;
    }
    return new SlotRing(next);
  }

  /**
   * A new table where {@code slots} belong to {@code target}: one step of a move, whichever rule
   * planned it ({@link #withShard}, {@link #withoutShard} or an operator relieving a hot slot).
   */
  public SlotRing reassigned(java.util.Collection<Integer> slots, int target) {
    short id = checkedId(target);
    short[] next = owners.clone();
    for (int slot : slots) {
      if (slot < 0 || slot >= next.length) {
        throw new IllegalArgumentException("slot " + slot + " is not on the ring");
      }
      next[slot] = id;
    }
    return new SlotRing(next);
  }

  /** The slots whose owner differs in {@code other}, by their owner there. */
  public SortedMap<Integer, List<Integer>> differences(SlotRing other) {
    if (other.owners.length != owners.length) {
      throw new IllegalArgumentException("rings of different sizes");
    }
    SortedMap<Integer, List<Integer>> moved = new TreeMap<>();
    for (int slot = 0; slot < owners.length; slot++) {
      if (owners[slot] != other.owners[slot]) {
        moved.computeIfAbsent((int) other.owners[slot], k -> new ArrayList<>()).add(slot);
      }
    }
    return moved;
  }

  /** The table as stored in the topology: base64 of one big-endian 16-bit shard id per slot. */
  public String encode() {
    ByteBuffer buffer = ByteBuffer.allocate(owners.length * 2);
    for (short owner : owners) {
      buffer.putShort(owner);
    }
    return Base64.getEncoder().encodeToString(buffer.array());
  }

  public static SlotRing decode(String encoded, int slots) {
    byte[] bytes = Base64.getDecoder().decode(encoded);
    if (bytes.length != slots * 2) {
      throw new IllegalArgumentException(
          "slot table holds " + bytes.length / 2 + " slots, expected " + slots);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    short[] owners = new short[slots];
    for (int i = 0; i < slots; i++) {
      owners[i] = checkedId(buffer.getShort());
    }
    return new SlotRing(owners);
  }

  private static short checkedId(int id) {
    if (id < 0 || id > MAX_SHARD_ID) {
      throw new IllegalArgumentException("shard ids are 0.." + MAX_SHARD_ID + ", not " + id);
    }
    return (short) id;
  }

  /** Rendezvous score of a slot for a shard: a stable pseudo-random 64-bit value. */
  static long score(int slot, int shard) {
    return KeyHash.fmix64(
        KeyHash.fmix64(slot + 0x9E3779B97F4A7C15L) ^ (shard * 0xC2B2AE3D27D4EB4FL));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SlotRing ring && Arrays.equals(owners, ring.owners);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(owners);
  }

  @Override
  public String toString() {
    return "SlotRing" + slotCounts();
  }
}
