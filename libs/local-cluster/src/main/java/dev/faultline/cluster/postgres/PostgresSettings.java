package dev.faultline.cluster.postgres;

/**
 * The server settings every node of the suite runs with. {@code durable=false} turns off fsync for
 * tests: a killed process loses nothing either way (its writes are in the kernel's page cache);
 * only a machine crash would, and tests do not crash machines.
 */
public record PostgresSettings(boolean durable, String sharedBuffers, int maxConnections) {

  public static PostgresSettings suite() {
    return new PostgresSettings(true, "64MB", 200);
  }

  public static PostgresSettings tests() {
    return new PostgresSettings(false, "32MB", 100);
  }

  String serverConfig() {
    return """

        # --- faultline ---
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
        .formatted(sharedBuffers, maxConnections, durable ? "on" : "off");
  }
}
