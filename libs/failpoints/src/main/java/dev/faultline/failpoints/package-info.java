/**
 * Failpoints: named places in the code where a test or a drill can make the process die (or stall)
 * exactly there, the way FoundationDB's buggify or TiKV's fail-rs do. Disarmed, a failpoint is one
 * read of an immutable map.
 */
@NullMarked
package dev.faultline.failpoints;

import org.jspecify.annotations.NullMarked;
