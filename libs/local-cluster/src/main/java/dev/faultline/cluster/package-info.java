/**
 * Real infrastructure as local processes: ZooKeeper quorum peers and PostgreSQL primaries and
 * streaming replicas on loopback. {@code bin/suite} and the integration tests both build on it, so
 * what the tests prove is what the local suite runs.
 */
@NullMarked
package dev.faultline.cluster;

import org.jspecify.annotations.NullMarked;
