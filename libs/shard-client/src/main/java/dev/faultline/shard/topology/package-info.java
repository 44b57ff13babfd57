/**
 * The shard topology: which nodes serve which shard, in what state, under which epoch, and the slot
 * table that places keys. Stored as one ZooKeeper node; every change is a compare-and-set that
 * bumps the epoch, and every process watches it.
 */
@NullMarked
package dev.faultline.shard.topology;

import org.jspecify.annotations.NullMarked;
