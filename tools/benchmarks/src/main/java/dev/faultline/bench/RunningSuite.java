package dev.faultline.bench;

import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.suite.SuiteCommand;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.IOException;
import java.time.Duration;

/**
 * The running local suite a harness loads, found as {@code bin/suite} put it ({@code SUITE_HOME},
 * {@code SUITE_PORT_OFFSET}): tokens signed with its key, its database passwords, its status.
 */
public record RunningSuite(SuiteHome home, SuitePorts ports) {
  private static final Duration TOKEN_TTL = Duration.ofHours(1);

  public static RunningSuite fromEnvironment() {
    return new RunningSuite(SuiteHome.fromEnvironment(), SuitePorts.fromEnvironment());
  }

  public String adminToken() throws IOException {
    return home.token("bench", true, TOKEN_TTL);
  }

  public String customerToken(String customer) throws IOException {
    return home.token(customer, false, TOKEN_TTL);
  }

  public PostgresCredentials credentials() throws IOException {
    return home.existingPostgresCredentials();
  }

  /** The suite's shards through the services' shard client; close it when done. */
  public SuiteShards shards() throws Exception {
    return new SuiteShards(ports.zooKeeperConnect(), credentials());
  }

  public SuiteCommand command() {
    return new SuiteCommand(home, ports);
  }
}
