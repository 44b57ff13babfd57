package dev.faultline.testing;

import dev.faultline.cluster.postgres.PostgresBinaries;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.postgres.PostgresNode;
import dev.faultline.cluster.postgres.PostgresSettings;
import dev.faultline.cluster.process.Signals;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL shard for a test: a primary, and optionally a streaming replica cloned from it
 * with {@code pg_basebackup} and required as a synchronous standby, the way the suite runs.
 */
public final class PostgresShard implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final PostgresCredentials credentials;
  private final PostgresNode primary;
  private final Optional<PostgresNode> replica;
  private final Map<String, ProcessHandle> running = new ConcurrentHashMap<>();

  private PostgresShard(
      Path dir,
      PostgresCredentials credentials,
      PostgresNode primary,
      Optional<PostgresNode> replica) {
    this.dir = dir;
    this.credentials = credentials;
    this.primary = primary;
    this.replica = replica;
  }

  public static PostgresShard start(boolean withReplica) {
    return start(withReplica, PostgresCredentials.random());
  }

  /** A shard whose roles use {@code credentials}: shards of one test share them, as the suite's. */
  public static PostgresShard start(boolean withReplica, PostgresCredentials credentials) {
    Path dir = TestProcesses.newFixtureDir("pg");
    PostgresBinaries binaries = PostgresBinaries.locate();
    PostgresSettings settings = PostgresSettings.tests();
    PostgresNode primary =
        new PostgresNode(
            "primary",
            TestProcesses.freePort(),
            dir.resolve("primary"),
            binaries,
            credentials,
            settings);
    Optional<PostgresNode> replica =
        withReplica
            ? Optional.of(
                new PostgresNode(
                    "replica",
                    TestProcesses.freePort(),
                    dir.resolve("replica"),
                    binaries,
                    credentials,
                    settings))
            : Optional.empty();
    PostgresShard shard = new PostgresShard(dir, credentials, primary, replica);
    try {
      primary.initPrimary();
      shard.startNode(primary);
      primary.awaitUp(START_TIMEOUT);
      primary.bootstrapRoles();
      if (replica.isPresent()) {
        replica.get().initReplicaOf(primary);
        shard.startNode(replica.get());
        replica.get().awaitUp(START_TIMEOUT);
        primary.requireSynchronousStandby(true);
        primary.awaitSynchronousStandby(START_TIMEOUT);
      }
    } catch (IOException | SQLException | RuntimeException e) {
      shard.close();
      throw new IllegalStateException("cannot start a PostgreSQL shard for the test", e);
    }
    return shard;
  }

  public PostgresNode primary() {
    return primary;
  }

  public PostgresNode replica() {
    return replica.orElseThrow(() -> new IllegalStateException("this shard has no replica"));
  }

  public PostgresCredentials credentials() {
    return credentials;
  }

  /** The application role's name, for a DataSource. */
  public String appUser() {
    return PostgresCredentials.APP_USER;
  }

  public String appPassword() {
    return credentials.appPassword();
  }

  /** Starts (or restarts) a node of this shard. */
  public void startNode(PostgresNode node) throws IOException {
    if (node.postmaster().isPresent()) {
      return;
    }
    running.put(node.name(), TestProcesses.INSTANCE.start(node.launchSpec()));
  }

  /**
   * Brings a stopped node back as a streaming replica of {@code primary} (pg_rewind, or a fresh
   * base backup when rewinding fails), the way {@code bin/suite start} rejoins a deposed primary.
   */
  public void rejoin(PostgresNode node, PostgresNode primary) throws IOException, SQLException {
    node.rejoinAsReplicaOf(primary.address());
    startNode(node);
    node.awaitUp(START_TIMEOUT);
  }

  /** SIGKILL of the postmaster, as a crashed pod: no checkpoint, no goodbye to clients. */
  public void kill(PostgresNode node) {
    node.postmaster()
        .ifPresent(
            p -> {
              Signals.kill(p);
              Signals.awaitExit(p, Duration.ofSeconds(10));
            });
    Optional.ofNullable(running.remove(node.name())).ifPresent(TestProcesses.INSTANCE::forget);
  }

  @Override
  public void close() {
    for (PostgresNode node :
        replica.isPresent()
            ? new PostgresNode[] {replica.get(), primary}
            : new PostgresNode[] {primary}) {
      // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
      node.postmaster().ifPresent(p -> TestProcesses.stop(p, "INT", Duration.ofSeconds(10)));
      Optional.ofNullable(running.remove(node.name())).ifPresent(TestProcesses.INSTANCE::forget);
    }
    TestProcesses.delete(dir);
  }
}
