/**
 * What runs first in the suite's containers and pods, built on the same code {@code bin/suite} runs
 * on this machine (local-cluster): PostgreSQL nodes that start as the stored topology says,
 * ZooKeeper peers, and the secrets a stack generates on its first start.
 */
@NullMarked
package dev.faultline.entrypoints;

import org.jspecify.annotations.NullMarked;
