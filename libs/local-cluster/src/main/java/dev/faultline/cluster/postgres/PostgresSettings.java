package dev.faultline.cluster.postgres;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The server settings every node of the suite runs with. {@code durable=false} turns off fsync for
 * tests: a killed process loses nothing either way (its writes are in the kernel's page cache);
 * only a machine crash would, and tests do not crash machines.
 *
 * @param clientNetworks who may connect over TCP (pg_hba address fields): loopback for the local
 *     suite, the container network ({@code samenet}) or a pod network in a cluster
 * @param socketDirectory where the Unix socket is, for the node's own OS user only (peer
 *     authentication: a container's health check); none when null
 */
public record PostgresSettings(
    boolean durable,
    String sharedBuffers,
    int maxConnections,
    List<String> clientNetworks,
    @Nullable String socketDirectory) {
  public static final List<String> LOOPBACK = List.of("127.0.0.1/32");

  public PostgresSettings {
    clientNetworks = List.copyOf(clientNetworks);
    if (clientNetworks.isEmpty()) {
      throw new IllegalArgumentException("a node that no client may reach is of no use");
    }
    for (String network : clientNetworks) {
      // pg_hba address fields: CIDR, a host name, or one of the keywords. No spaces or quotes.
      if (!network.matches("[A-Za-z0-9_.:/-]+")) {
        throw new IllegalArgumentException("not a pg_hba address: '" + network + "'");
      }
    }
  }

  public static PostgresSettings suite() {
    return new PostgresSettings(true, "64MB", 200, LOOPBACK, null);
  }

  public static PostgresSettings tests() {
    return new PostgresSettings(false, "32MB", 100, LOOPBACK, null);
  }

  /**
   * A node in a container: the suite's settings, reachable from {@code clientNetworks} besides its
   * own loopback, and a socket for the container's own health check.
   */
  public static PostgresSettings container(List<String> clientNetworks) {
    List<String> networks = new java.util.ArrayList<>(LOOPBACK);
    networks.addAll(clientNetworks);
    return new PostgresSettings(true, "64MB", 200, networks, "/var/run/postgresql");
  }

  private boolean loopbackOnly() {
    return clientNetworks.equals(LOOPBACK);
  }

  String serverConfig() {
    return """

        # --- faultline ---
        listen_addresses = '%s'
        unix_socket_directories = '%s'
        wal_level = replica
        max_wal_senders = 10
        max_replication_slots = 10
        hot_standby = on
        hot_standby_feedback = on
        # pg_rewind needs full-page hints to bring a deposed primary back as a replica.
        wal_log_hints = on
        wal_keep_size = 256MB
        synchronous_commit = on
        shared_buffers = %s
        max_connections = %d
        fsync = %s
        full_page_writes = on
        logging_collector = off
        log_line_prefix = '%%m [%%p] %%u@%%d '
        log_min_messages = warning
        log_connections = off
        """
        .formatted(
            loopbackOnly() ? "127.0.0.1" : "*",
            socketDirectory == null ? "" : socketDirectory,
            sharedBuffers,
            maxConnections,
            durable ? "on" : "off");
  }

  /** Passwords always (scram-sha-256) over TCP; replication only for the replication role. */
  String hostBasedAuthentication() {
    StringBuilder hba = new StringBuilder();
    hba.append("# faultline: passwords always (scram-sha-256), replication only for ")
        .append(PostgresCredentials.REPLICATION_USER)
        .append(".\n");
    if (socketDirectory != null) {
      // The node's own OS user over the socket: the container's health check, no password.
      hba.append("local   all             ")
          .append(PostgresCredentials.SUPERUSER)
          .append("        peer\n");
    }
    for (String network : clientNetworks) {
      hba.append("host    all             all             ")
          .append(network)
          .append("    scram-sha-256\n");
      hba.append("host    replication     ")
          .append(PostgresCredentials.REPLICATION_USER)
          .append("      ")
          .append(network)
          .append("    scram-sha-256\n");
    }
    return hba.toString();
  }
}
