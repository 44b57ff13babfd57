package dev.faultline.replication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * One node's replication as the node itself sees it. A {@link Primary} writes WAL and counts the
 * standbys streaming from it; a {@link Replica} is in recovery, maybe streaming from an upstream,
 * and trails by {@code lagSeconds}.
 */
public sealed interface ReplicationState {

  /**
   * The WAL position as a byte offset: written (a primary), or the furthest received or replayed (a
   * replica; after a restart the receive position starts over at a segment boundary behind what the
   * replica replayed from its own disk, so the greater of the two).
   */
  long walPosition();

  /**
   * @param streamingStandbys standbys connected and streaming
   * @param synchronousStandbys those of them that confirm commits ({@code sync} or {@code quorum})
   */
  record Primary(long walPosition, int streamingStandbys, int synchronousStandbys)
      implements ReplicationState {}

  /**
   * @param upstream {@code host:port} of the node it streams from, null while not streaming
   * @param lagSeconds how long ago the last replayed transaction committed, when WAL has been
   *     received and not yet replayed; 0 when replay has caught up with what was received, since a
   *     replica of an idle primary replays nothing for a while and is not behind
   */
  record Replica(@Nullable String upstream, double lagSeconds, long walPosition)
      implements ReplicationState {
    public boolean streaming() {
      return upstream != null;
    }
  }

  /*
   * One statement for both roles, so a node promoted between two queries cannot be read half as
   * one role and half as the other. pg_current_wal_lsn() fails in recovery; the CASE evaluates it
   * only on a primary (it is volatile, so never folded early). The monitoring views need
   * pg_monitor (or superuser) to show state and sync_state.
   */
  String SQL =
      "select pg_is_in_recovery(), r.status = 'streaming', r.sender_host, r.sender_port,"
          + " case when not pg_is_in_recovery()"
          + "   or coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(), true) then 0"
          + "   else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end,"
          + " coalesce(case when pg_is_in_recovery()"
          + "   then greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())"
          + "   else pg_current_wal_lsn() end - '0/0'::pg_lsn, 0),"
          + " (select count(*) from pg_stat_replication where state = 'streaming'),"
          + " (select count(*) from pg_stat_replication"
          + "   where state = 'streaming' and sync_state in ('sync', 'quorum'))"
          + " from (select 1) one left join pg_stat_wal_receiver r on true";

  /** Asks the node on the other end of {@code connection}; its SQLException if it cannot answer. */
  static ReplicationState read(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(SQL)) {
      rs.next();
      long wal = rs.getLong(6);
      if (!rs.getBoolean(1)) {
        return new Primary(wal, rs.getInt(7), rs.getInt(8));
      }
      String upstream = rs.getBoolean(2) ? hostPort(rs.getString(3), rs.getInt(4)) : null;
      return new Replica(upstream, rs.getDouble(5), wal);
    }
  }

  private static String hostPort(String host, int port) {
    // The suite and the tests address nodes as 127.0.0.1; a replica may report "localhost".
    return ("localhost".equals(host) ? "127.0.0.1" : host) + ":" + port;
  }
}
