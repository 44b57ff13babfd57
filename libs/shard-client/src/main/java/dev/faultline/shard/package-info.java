/**
 * The data tier as a library inside each service: pools per PostgreSQL node and the schema of every
 * shard. Keys reach their shard through the topology the shard-router keeps.
 */
@NullMarked
package dev.faultline.shard;

import org.jspecify.annotations.NullMarked;
