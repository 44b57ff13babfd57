/** {@code bin/bench saga}: sagas through the gateway next to their SQL run directly over JDBC. */
package dev.faultline.bench.saga;
