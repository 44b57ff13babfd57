/**
 * What a PostgreSQL node says of its own replication, asked in one statement ({@link
 * ReplicationState#read}). The shard router's health probe and failover, the shard client's lag
 * monitor and the local cluster's probe all read it here, so "lag" and "synchronous standby" mean
 * the same thing to each of them.
 */
@NullMarked
package dev.faultline.replication;

import org.jspecify.annotations.NullMarked;
