/**
 * Which shard owns a key. A key hashes (MurmurHash3, stable across processes, JVMs and languages)
 * to one of a fixed number of hash slots; a slot table says which shard serves each slot. The table
 * changes only by whole slots, chosen so that balance stays within one slot and a change moves the
 * fewest keys possible (see {@link SlotRing}).
 */
@NullMarked
package dev.faultline.ring;

import org.jspecify.annotations.NullMarked;
