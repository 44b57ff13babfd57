/**
 * The gateway's traffic benchmarks: {@code bin/bench overload} (spillover against a surge queue,
 * from half to four times the suite's capacity) and {@code bin/bench balance} (each balancing
 * policy under a skewed load, simulated with the policies themselves and then through real
 * gateways).
 */
@NullMarked
package dev.faultline.bench.gateway;

import org.jspecify.annotations.NullMarked;
