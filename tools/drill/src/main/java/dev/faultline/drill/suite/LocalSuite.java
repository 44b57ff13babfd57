package dev.faultline.drill.suite;

import dev.faultline.cluster.suite.SuiteCommand;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.fault.LocalSuiteFaults;
import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local suite as {@code bin/suite} runs it: where its state is ({@code SUITE_HOME}, default
 * {@code .suite/}), its gateway (ports shifted by {@code SUITE_PORT_OFFSET}), tokens signed with
 * its keys, its database credentials, and {@code bin/suite} itself for process control.
 */
public record LocalSuite(SuiteHome home, SuitePorts ports) implements Deployment {

  public static LocalSuite fromEnvironment() {
    return new LocalSuite(SuiteHome.fromEnvironment(), SuitePorts.fromEnvironment());
  }

  @Override
  public Endpoints endpoints() {
    return new Endpoints(
        "local",
        List.of(ports.gatewayUri(1), ports.gatewayUri(2)),
        URI.create("http://127.0.0.1:" + ports.prometheus()),
        home.drills());
  }

  @Override
  public String token(String subject, boolean admin) throws IOException {
    return home.token(subject, admin, Duration.ofHours(6));
  }

  @Override
  public Connection database(String address) throws IOException, SQLException {
    return Deployment.appConnection(
        address, home.existingPostgresCredentials(), Duration.ofSeconds(3), Duration.ofSeconds(10));
  }

  @Override
  public FaultActions faults(Gateway gateway, String adminToken) {
    return new LocalSuiteFaults(this, gateway, adminToken);
  }

  @Override
  public Optional<String> notRunning() throws IOException {
    return status().stream().noneMatch(SuiteCommand.Member::running)
        ? Optional.of("the suite is not running: start it with bin/suite up")
        : Optional.empty();
  }

  @Override
  public String startCommand() {
    return "bin/suite start NAME";
  }

  @Override
  public List<String> unhealthy() throws IOException {
    return status().stream().filter(p -> !p.healthy()).map(SuiteCommand.Member::name).toList();
  }

  public List<SuiteCommand.Member> status() throws IOException {
    return command().status();
  }

  /**
   * Runs {@code bin/suite ARGS}; its output, or an exception with its log when it fails. A command
   * that finds the suite's lock taken (a restart while {@code shards add} starts a shard's nodes,
   * both from this drill) is tried again until {@code timeout}: the two only meet in time, never in
   * what they change.
   */
  public String suite(Duration timeout, String... args) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return command().ok(timeout, args);
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains(LOCK_TAKEN) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for the suite's lock", e);
      }
    }
  }

  /** What {@code bin/suite} says when another of its commands holds the suite's lock. */
  private static final String LOCK_TAKEN = "another bin/suite command is changing the suite";

  @Override
  public Optional<Resharding> resharding() {
    return Optional.of(
        new Resharding() {
          @Override
          public String add() throws IOException {
            return suite(Duration.ofMinutes(20), "shards", "add");
          }

          @Override
          public String remove(int shard) throws IOException {
            return suite(Duration.ofMinutes(20), "shards", "remove", Integer.toString(shard));
          }
        });
  }

  private SuiteCommand command() {
    return new SuiteCommand(home, ports);
  }
}
