/**
 * JUnit 5 support for integration tests against real servers, started as local processes: {@link
 * dev.faultline.testing.WithZooKeeper} and {@link dev.faultline.testing.WithPostgres}. There is no
 * Docker engine where this suite is built, and a failure test needs processes it can kill.
 */
@NullMarked
package dev.faultline.testing;

import org.jspecify.annotations.NullMarked;
