/** Benchmarks: our implementation next to the baseline each issue names, in the same run. */
@NullMarked
package dev.faultline.bench;

import org.jspecify.annotations.NullMarked;
