/**
 * The shard ring against Guava's jump consistent hash and a 160-vnode hash ring: balance and key
 * movement over a million keys, and nanoseconds per lookup (JMH).
 */
@NullMarked
package dev.faultline.bench.ring;

import org.jspecify.annotations.NullMarked;
