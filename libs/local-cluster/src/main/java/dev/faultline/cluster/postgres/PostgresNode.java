package dev.faultline.cluster.postgres;

import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.OsUser;
import dev.faultline.replication.ReplicationState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One PostgreSQL server run by this machine (or this container): its folder ({@code data/} plus a
 * log), its port, and the steps that make it a primary ({@code initdb}) or a streaming replica of
 * another node ({@code pg_basebackup}), wherever that node is. This process reaches the node itself
 * on loopback. Running the server is left to a {@link dev.faultline.cluster.process.Launcher}
 * through {@link #launchSpec()}, or to a container's entrypoint.
 */
public final class PostgresNode {
  private final String name;
  private final int port;
  private final Path dir;
  private final PostgresBinaries binaries;
  private final PostgresCredentials credentials;
  private final PostgresSettings settings;

  public PostgresNode(
      String name,
      int port,
      Path dir,
      PostgresBinaries binaries,
      PostgresCredentials credentials,
      PostgresSettings settings) {
    this.name = name;
    this.port = port;
    this.dir = dir.toAbsolutePath();
    this.binaries = binaries;
    this.credentials = credentials;
    this.settings = settings;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path logFile() {
    return dir.resolve("postgres.log");
  }

  public boolean initialized() {
    return Files.exists(dataDir().resolve("PG_VERSION"));
  }

  /** How this process reaches the node: on loopback. */
  public NodeAddress address() {
    return NodeAddress.loopback(port);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + address() + "/" + database;
  }

  public String jdbcUrl() {
    return jdbcUrl(PostgresCredentials.DATABASE);
  }

  /** Creates a fresh cluster with checksums and this suite's configuration; not started. */
  public void initPrimary() throws IOException {
    dataDirectory().initPrimary();
  }

  /**
   * Clones {@code primary} with {@code pg_basebackup} into a streaming standby that names itself
   * after this node (so the primary can list it as a synchronous standby) and holds a replication
   * slot, so the primary keeps the WAL this replica has not received yet.
   */
  public void initReplicaOf(PostgresNode primary) throws IOException, SQLException {
    initReplicaOf(primary.address());
  }

  /** As {@link #initReplicaOf(PostgresNode)}, for a primary anywhere on the network. */
  public void initReplicaOf(NodeAddress primary) throws IOException, SQLException {
    dataDirectory().initReplicaOf(primary);
  }

  /**
   * Turns this stopped node, a primary that was replaced, into a streaming replica of the node on
   * {@code primary} ({@code pg_rewind}, or a fresh clone when rewinding fails).
   */
  public void rejoinAsReplicaOf(NodeAddress primary) throws IOException, SQLException {
    dataDirectory().rejoinAsReplicaOf(primary);
  }

  /** Configures this stopped node to stream from {@code primary} through its own slot there. */
  public void followPrimary(NodeAddress primary) throws IOException, SQLException {
    dataDirectory().followPrimary(primary);
  }

  /** The primary this standby's configuration streams from, if it names one. */
  public Optional<NodeAddress> followed() throws IOException {
    return dataDirectory().followed();
  }

  private DataDirectory dataDirectory() {
    return new DataDirectory(this, dir, binaries, credentials, settings);
  }

  /** Whether the data directory starts as a standby (it has {@code standby.signal}). */
  public boolean configuredAsStandby() {
    return Files.exists(dataDir().resolve("standby.signal"));
  }

  /** The replication slot a replica of this name streams through. */
  public String slotName() {
    return name.replaceAll("[^a-z0-9_]", "_");
  }

  /** Runs the server in the foreground of its own process, logging to {@link #logFile()}. */
  public LaunchSpec launchSpec() {
    return new LaunchSpec(
        name,
        OsUser.as(
            OsUser.POSTGRES,
            List.of(
                binaries.program("postgres"),
                "-D",
                dataDir().toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=")),
        dir,
        Map.of(),
        logFile());
  }

  /** The running postmaster, from its own pid file (the truth, whoever started it). */
  public Optional<ProcessHandle> postmaster() {
    Path pidFile = dataDir().resolve("postmaster.pid");
    try {
      if (!Files.isReadable(pidFile)) {
        return Optional.empty();
      }
      String first = Files.readAllLines(pidFile).getFirst().trim();
      return ProcessHandle.of(Long.parseLong(first))
          .filter(ProcessHandle::isAlive)
          // A pid file left by a killed server names a number another process may hold now: in a
          // container that is the entrypoint itself (pid 1 again). Only a postgres is the server;
          // a process whose command we may not see is taken for one, to be safe.
          .filter(p -> p.info().command().map(PostgresNode::isPostgres).orElse(true));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // being written or removed right now: not running for our purposes
    }
  }

  private static boolean isPostgres(String command) {
    return command.equals("postgres") || command.endsWith("/postgres");
  }

  /** Creates the application role and database and the replication role (primary, once). */
  public void bootstrapRoles() throws SQLException {
    try (Connection c = superuserConnection("postgres")) {
      Roles.bootstrap(c, credentials);
    }
  }

  /**
   * Makes every commit on this primary wait until a standby has flushed it: an acknowledged write
   * then survives the loss of the primary. {@code '*'} is any one standby.
   */
  public void requireSynchronousStandby(boolean required) throws SQLException {
    try (Connection c = superuserConnection("postgres");
        Statement s = c.createStatement()) {
      s.execute("alter system set synchronous_standby_names = '" + (required ? "*" : "") + "'");
      s.execute("select pg_reload_conf()");
    }
  }

  public Connection superuserConnection(String database) throws SQLException {
    // Short: the probe and the settings calls must give up on a node that stopped answering.
    return connect(
        address(), database, PostgresCredentials.SUPERUSER, credentials.superuserPassword(), 5);
  }

  public Connection appConnection() throws SQLException {
    return connect(
        address(),
        PostgresCredentials.DATABASE,
        PostgresCredentials.APP_USER,
        credentials.appPassword(),
        10);
  }

  /**
   * The one way this package connects to a node: loopback or any address, 2 s to connect, and a
   * socket timeout that suits the call.
   */
  static Connection connect(
      NodeAddress node, String database, String user, String password, int socketTimeoutSeconds)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + node
            + "/"
            + database
            + "?connectTimeout=2&socketTimeout="
            + socketTimeoutSeconds,
        user,
        password);
  }

  /** Asks the node what it is now; {@link NodeStatus.Down} when it does not answer. */
  public NodeStatus probe() {
    try (Connection c = superuserConnection("postgres")) {
      return switch (ReplicationState.read(c)) {
        case ReplicationState.Primary p ->
            new NodeStatus.Primary(p.streamingStandbys(), p.synchronousStandbys());
        case ReplicationState.Replica r -> new NodeStatus.Replica(r.streaming(), r.lagSeconds());
      };
    } catch (SQLException e) {
      return new NodeStatus.Down(e.getMessage());
    }
  }

  /** Waits until the node accepts connections (any role). */
  public NodeStatus awaitUp(Duration timeout) throws IOException {
    return await(timeout, NodeStatus::up, "up");
  }

  /** Waits until this primary streams to at least one synchronous standby. */
  public void awaitSynchronousStandby(Duration timeout) throws IOException {
    await(
        timeout,
        st -> st instanceof NodeStatus.Primary p && p.synchronousStandbys() > 0,
        "streaming to a synchronous standby");
  }

  private NodeStatus await(
      Duration timeout, java.util.function.Predicate<NodeStatus> condition, String what)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    NodeStatus status = probe();
    while (!condition.test(status)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(name + " is not " + what + " after " + timeout + ": " + status);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      status = probe();
    }
    return status;
  }
}
