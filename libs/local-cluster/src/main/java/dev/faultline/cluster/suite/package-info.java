/**
 * Where a local suite is and how to reach it: its state folder ({@link SuiteHome}), its ports
 * ({@link SuitePorts}) and {@code bin/suite} itself ({@link SuiteCommand}). {@code bin/suite}, the
 * drill, the benchmarks and the end-to-end tests all find the suite through these, so they cannot
 * disagree about where a key, a password or a port is.
 */
@NullMarked
package dev.faultline.cluster.suite;

import org.jspecify.annotations.NullMarked;
