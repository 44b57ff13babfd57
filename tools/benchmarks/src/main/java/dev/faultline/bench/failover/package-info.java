/**
 * Failover on the running local suite: a write load through the shard client, a SIGKILL of a shard
 * primary, the time until writes succeed again and a count of acknowledged writes lost.
 */
@NullMarked
package dev.faultline.bench.failover;

import org.jspecify.annotations.NullMarked;
