package dev.faultline.cluster.postgres;

import dev.faultline.cluster.process.Commands;
import dev.faultline.cluster.process.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a node's {@code data/} a primary ({@code initdb}) or a streaming replica ({@code
 * pg_basebackup}, {@code pg_rewind}, the standby settings), with the server stopped. Each data
 * directory is built aside and moved into place, so a process killed half-way leaves nothing that
 * looks whole.
 */
final class DataDirectory {
  private final PostgresNode node;
  private final Path dir;
  private final PostgresBinaries binaries;
  private final PostgresCredentials credentials;
  private final PostgresSettings settings;

  DataDirectory(
      PostgresNode node,
      Path dir,
      PostgresBinaries binaries,
      PostgresCredentials credentials,
      PostgresSettings settings) {
    this.node = node;
    this.dir = dir;
    this.binaries = binaries;
    this.credentials = credentials;
    this.settings = settings;
  }

  /** Creates a fresh cluster with checksums and this suite's configuration; not started. */
  void initPrimary() throws IOException {
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
    Files.move(building, node.dataDir(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** As {@link #initReplicaOf(PostgresNode)}, for a primary anywhere on the network. */
  void initReplicaOf(NodeAddress primary) throws IOException, SQLException {
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
            replicationConnInfo(primary, node.name()),
            "-D",
            building.toString(),
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--create-slot",
            "--slot=" + node.slotName()),
        Map.of("PGPASSWORD", credentials.replicationPassword()),
        Duration.ofMinutes(5));
    Files.move(building, node.dataDir(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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

  /**
   * Turns this stopped node, a primary that was replaced, into a streaming replica of the node on
   * {@code primary}: {@code pg_rewind} winds its data back to where the histories diverged
   * (discarding the commits no standby confirmed, which no client saw acknowledged) and copies what
   * changed since. If rewinding fails, the data directory is set aside and cloned afresh.
   */
  void rejoinAsReplicaOf(NodeAddress primary) throws IOException, SQLException {
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
              "--target-pgdata=" + node.dataDir(),
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
      Files.move(node.dataDir(), aside);
      baseBackupFrom(primary);
    }
  }

  /**
   * Configures this stopped node to stream from {@code primary} through its own replication slot
   * there (created if missing). The last setting in postgresql.auto.conf wins.
   */
  void followPrimary(NodeAddress primary) throws IOException, SQLException {
    createSlotOn(primary);
    Path signal = node.dataDir().resolve("standby.signal");
    if (!Files.exists(signal)) {
      Files.createFile(signal);
    }
    Files.writeString(
        node.dataDir().resolve("postgresql.auto.conf"),
        "\n# faultline: follow the primary at "
            + primary
            + "\nprimary_conninfo = '"
            + replicationConnInfo(primary, node.name())
            + " password="
            + credentials.replicationPassword()
            + "'\nprimary_slot_name = '"
            + node.slotName()
            + "'\n",
        java.nio.file.StandardOpenOption.APPEND);
    OsUser.handOver(node.dataDir(), OsUser.POSTGRES);
  }

  /** The primary this standby's configuration streams from, if it names one. */
  Optional<NodeAddress> followed() throws IOException {
    Path auto = node.dataDir().resolve("postgresql.auto.conf");
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
      if (!Roles.exists(
          s, "select 1 from pg_replication_slots where slot_name = '" + node.slotName() + "'")) {
        s.execute("select pg_create_physical_replication_slot('" + node.slotName() + "', true)");
      }
    }
  }

  private void dropSlotOn(NodeAddress primary) throws SQLException {
    try (Connection c = superuserConnection(primary);
        Statement s = c.createStatement()) {
      if (Roles.exists(
          s, "select 1 from pg_replication_slots where slot_name = '" + node.slotName() + "'")) {
        s.execute("select pg_drop_replication_slot('" + node.slotName() + "')");
      }
    }
  }

  private Connection superuserConnection(NodeAddress node) throws SQLException {
    // Longer: a checkpoint on a busy primary may take a while.
    return PostgresNode.connect(
        node, "postgres", PostgresCredentials.SUPERUSER, credentials.superuserPassword(), 10);
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

  private void prepareDir() throws IOException {
    Files.createDirectories(dir);
    if (Files.exists(node.dataDir())) {
      throw new IOException(node.dataDir() + " already exists: refusing to overwrite a cluster");
    }
    if (!Files.exists(node.logFile())) {
      Files.createFile(node.logFile());
    }
  }

  private void runAsPostgres(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException {
    Commands.check(OsUser.as(OsUser.POSTGRES, command), dir, env, timeout);
  }
}
