package dev.faultline.ring;

/** Where a key goes: its 64-bit hash, the hash slot that hash falls in, and the slot's shard. */
public record Route(String key, long hash, int slot, int shard) {}
