/**
 * The lock service against Curator's InterProcessMutex on the same ZooKeeper ensemble: uncontended
 * acquire+release cycles per second and latency percentiles.
 */
@NullMarked
package dev.faultline.bench.locks;

import org.jspecify.annotations.NullMarked;
