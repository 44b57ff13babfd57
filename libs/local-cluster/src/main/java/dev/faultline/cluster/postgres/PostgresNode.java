package dev.faultline.cluster.postgres;

import dev.faultline.cluster.process.Commands;
import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.OsUser;
import dev.faultline.replication.ReplicationState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
    prepareDir();
    Path pwFile = dir.resolve("pwfile");
    Files.writeString(pwFile, credentials.superuserPassword() + "\n");
    OsUser.handOver(dir, OsUser.POSTGRES);
    // Built aside and moved into place: a process killed half-way leaves no data/ that looks whole.
    Path building = sideFolder("init");
    try {
      runAsPostgres(
          List.of(
              binaries.program("initdb"),
              "-D",
              building.toString(),
              "-U",
              PostgresCredentials.SUPERUSER,
              "--pwfile=" + pwFile,
              "--auth=scram-sha-256",
              "--encoding=UTF8",
              "--locale=C",
              // Checksums turn silent corruption into a loud error, and let pg_rewind work.
              "--data-checksums"),
          Map.of(),
          Duration.ofMinutes(2));
    } finally {
      Files.deleteIfExists(pwFile);
    }
    Files.writeString(
        building.resolve("postgresql.conf"),
        settings.serverConfig(),
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(building.resolve("pg_hba.conf"), settings.hostBasedAuthentication());
    Files.move(building, dataDir(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
    prepareDir();
    OsUser.handOver(dir, OsUser.POSTGRES);
    baseBackupFrom(primary);
  }

  /**
   * Clones {@code primary} into this data directory, as a standby with a slot. A slot of this
   * node's name left there by an earlier, unfinished clone is dropped first: it holds WAL for a
   * copy that no longer exists.
   */
  private void baseBackupFrom(NodeAddress primary) throws IOException, SQLException {
    dropSlotOn(primary);
    // Built aside and moved into place: a process killed half-way leaves no data/ that looks whole.
    Path building = sideFolder("clone");
    runAsPostgres(
        List.of(
            binaries.program("pg_basebackup"),
            "-d",
            replicationConnInfo(primary, name),
            "-D",
            building.toString(),
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--create-slot",
            "--slot=" + slotName()),
        Map.of("PGPASSWORD", credentials.replicationPassword()),
        Duration.ofMinutes(5));
    Files.move(building, dataDir(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** An empty folder beside data/ for building it, cleared of an earlier attempt's leftovers. */
  private Path sideFolder(String purpose) throws IOException {
    Path side = dir.resolve("data." + purpose);
    if (Files.exists(side)) {
      try (var paths = Files.walk(side)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return side;
  }

  /** Whether the data directory starts as a standby (it has {@code standby.signal}). */
  public boolean configuredAsStandby() {
    return Files.exists(dataDir().resolve("standby.signal"));
  }

  /**
   * Turns this stopped node, a primary that was replaced, into a streaming replica of the node on
   * {@code primary}: {@code pg_rewind} winds its data back to where the histories diverged
   * (discarding the commits no standby confirmed, which no client saw acknowledged) and copies what
   * changed since. If rewinding fails, the data directory is set aside and cloned afresh.
   */
  public void rejoinAsReplicaOf(NodeAddress primary) throws IOException, SQLException {
    // A freshly promoted primary records its new timeline in pg_control only at its next
    // checkpoint; before that pg_rewind sees one timeline and wrongly finds nothing to rewind.
    try (Connection c = superuserConnection(primary);
        Statement s = c.createStatement()) {
      s.execute("checkpoint");
    }
    try {
      runAsPostgres(
          List.of(
              binaries.program("pg_rewind"),
              "--target-pgdata=" + dataDir(),
              "--source-server=host="
                  + primary.host()
                  + " port="
                  + primary.port()
                  + " user="
                  + PostgresCredentials.SUPERUSER
                  + " dbname=postgres",
              "--progress"),
          Map.of("PGPASSWORD", credentials.superuserPassword()),
          Duration.ofMinutes(5));
      followPrimary(primary);
    } catch (IOException rewindFailed) {
      Path aside = dir.resolve("data.rewind-failed-" + System.currentTimeMillis());
      Files.move(dataDir(), aside);
      baseBackupFrom(primary);
    }
  }

  /**
   * Configures this stopped node to stream from {@code primary} through its own replication slot
   * there (created if missing). The last setting in postgresql.auto.conf wins.
   */
  public void followPrimary(NodeAddress primary) throws IOException, SQLException {
    createSlotOn(primary);
    Path signal = dataDir().resolve("standby.signal");
    if (!Files.exists(signal)) {
      Files.createFile(signal);
    }
    Files.writeString(
        dataDir().resolve("postgresql.auto.conf"),
        "\n# faultline: follow the primary at "
            + primary
            + "\nprimary_conninfo = '"
            + replicationConnInfo(primary, name)
            + " password="
            + credentials.replicationPassword()
            + "'\nprimary_slot_name = '"
            + slotName()
            + "'\n",
        java.nio.file.StandardOpenOption.APPEND);
    OsUser.handOver(dataDir(), OsUser.POSTGRES);
  }

  /** The primary this standby's configuration streams from, if it names one. */
  public Optional<NodeAddress> followed() throws IOException {
    Path auto = dataDir().resolve("postgresql.auto.conf");
    if (!Files.exists(auto)) {
      return Optional.empty();
    }
    Optional<NodeAddress> primary = Optional.empty();
    for (String line : Files.readAllLines(auto)) {
      if (!line.startsWith("primary_conninfo")) {
        continue;
      }
      var host = java.util.regex.Pattern.compile("\\bhost=([^\\s']+)").matcher(line);
      var port = java.util.regex.Pattern.compile("\\bport=(\\d+)").matcher(line);
      if (host.find() && port.find()) {
        primary = Optional.of(new NodeAddress(host.group(1), Integer.parseInt(port.group(1))));
      }
    }
    return primary;
  }

  private void createSlotOn(NodeAddress primary) throws SQLException {
    try (Connection c = superuserConnection(primary);
        Statement s = c.createStatement()) {
      if (!exists(s, "select 1 from pg_replication_slots where slot_name = '" + slotName() + "'")) {
        s.execute("select pg_create_physical_replication_slot('" + slotName() + "', true)");
      }
    }
  }

  private void dropSlotOn(NodeAddress primary) throws SQLException {
    try (Connection c = superuserConnection(primary);
        Statement s = c.createStatement()) {
      if (exists(s, "select 1 from pg_replication_slots where slot_name = '" + slotName() + "'")) {
        s.execute("select pg_drop_replication_slot('" + slotName() + "')");
      }
    }
  }

  private Connection superuserConnection(NodeAddress node) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + node + "/postgres?connectTimeout=2&socketTimeout=10",
        PostgresCredentials.SUPERUSER,
        credentials.superuserPassword());
  }

  /** The replication slot a replica of this name streams through. */
  public String slotName() {
    return name.replaceAll("[^a-z0-9_]", "_");
  }

  private static String replicationConnInfo(NodeAddress primary, String applicationName) {
    return "host="
        + primary.host()
        + " port="
        + primary.port()
        + " user="
        + PostgresCredentials.REPLICATION_USER
        + " application_name="
        + applicationName;
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
    try (Connection c = superuserConnection("postgres");
        Statement s = c.createStatement()) {
      if (!exists(
          s, "select 1 from pg_roles where rolname = '" + PostgresCredentials.APP_USER + "'")) {
        s.execute(
            "create role "
                + PostgresCredentials.APP_USER
                + " login password '"
                + credentials.appPassword()
                + "'");
      }
      // Read-only monitoring views (pg_stat_wal_receiver, pg_stat_replication): the shard client
      // measures replica lag with them.
      s.execute("grant pg_monitor to " + PostgresCredentials.APP_USER);
      if (!exists(
          s,
          "select 1 from pg_roles where rolname = '"
              + PostgresCredentials.REPLICATION_USER
              + "'")) {
        s.execute(
            "create role "
                + PostgresCredentials.REPLICATION_USER
                + " login replication password '"
                + credentials.replicationPassword()
                + "'");
      }
      if (!exists(
          s, "select 1 from pg_database where datname = '" + PostgresCredentials.DATABASE + "'")) {
        s.execute(
            "create database "
                + PostgresCredentials.DATABASE
                + " owner "
                + PostgresCredentials.APP_USER);
      }
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
    return DriverManager.getConnection(
        jdbcUrl(database) + "?connectTimeout=2&socketTimeout=5",
        PostgresCredentials.SUPERUSER,
        credentials.superuserPassword());
  }

  public Connection appConnection() throws SQLException {
    return DriverManager.getConnection(
        jdbcUrl() + "?connectTimeout=2&socketTimeout=10",
        PostgresCredentials.APP_USER,
        credentials.appPassword());
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

  private void prepareDir() throws IOException {
    Files.createDirectories(dir);
    if (Files.exists(dataDir())) {
      throw new IOException(dataDir() + " already exists: refusing to overwrite a cluster");
    }
    if (!Files.exists(logFile())) {
      Files.createFile(logFile());
    }
  }

  private void runAsPostgres(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException {
    Commands.check(OsUser.as(OsUser.POSTGRES, command), dir, env, timeout);
  }

  private static boolean exists(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
