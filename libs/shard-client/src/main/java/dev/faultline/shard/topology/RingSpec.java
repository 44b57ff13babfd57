package dev.faultline.shard.topology;

import dev.faultline.ring.SlotRing;

/**
 * How keys are placed: the hash function's name (a guard against a process that hashes
 * differently), the number of slots and the slot table as {@link SlotRing#encode()} writes it.
 */
public record RingSpec(String hash, int slots, String table) {
  public static final String HASH = "murmur3_x64_128/low64/utf8";

  public static RingSpec of(SlotRing ring) {
    return new RingSpec(HASH, ring.slots(), ring.encode());
  }

  public SlotRing ring() {
    if (!HASH.equals(hash)) {
      throw new IllegalStateException(
          "topology uses hash '" + hash + "', this build knows " + HASH);
    }
    return SlotRing.decode(table, slots);
  }
}
