package dev.faultline.router.health;

import dev.faultline.router.RouterProperties;
import dev.faultline.shard.ShardsProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Asks one PostgreSQL node what it is: primary or replica, whom a replica streams from and how far
 * it trails, how many synchronous standbys a primary has and whether it was deposed. A fresh
 * connection each time with short timeouts: a pooled one would report a node as up after it died.
 */
@Component
public class NodeProbe {
  private final ShardsProperties shards;
  private final RouterProperties router;

  NodeProbe(ShardsProperties shards, RouterProperties router) {
    this.shards = shards;
    this.router = router;
  }

  /** An administrative connection to a node (the probe, promotion, sync settings). */
  public Connection admin(String address, int socketTimeoutSeconds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", router.adminUsername());
    props.setProperty("password", router.adminPassword() == null ? "" : router.adminPassword());
    props.setProperty("connectTimeout", "1");
    props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
    props.setProperty("ApplicationName", "shard-router");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + address + "/" + shards.database(), props);
  }

  public NodeHealth probe(String address) {
    try (Connection c = admin(address, 2);
        Statement s = c.createStatement()) {
      boolean replica;
      try (ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
        rs.next();
        replica = rs.getBoolean(1);
      }
      if (replica) {
        try (ResultSet rs =
            s.executeQuery(
                "select r.sender_host, r.sender_port, r.status,"
                    + " case when coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(), true) then 0"
                    + " else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()),"
                    + " 0) end,"
                    + " greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) - '0/0'::pg_lsn"
                    + " from (select 1) one left join pg_stat_wal_receiver r on true")) {
          rs.next();
          String from =
              "streaming".equals(rs.getString(3)) ? hostPort(rs.getString(1), rs.getInt(2)) : null;
          long lsn = rs.getLong(5);
          return new NodeHealth(
              address,
              true,
              "replica",
              from,
              rs.getDouble(4),
              rs.wasNull() ? null : lsn,
              null,
              null,
              null);
        }
      }
      int sync;
      try (ResultSet rs =
          s.executeQuery(
              "select count(*) from pg_stat_replication"
                  + " where state = 'streaming' and sync_state in ('sync', 'quorum')")) {
        rs.next();
        sync = rs.getInt(1);
      }
      Boolean deposed = null;
      try (ResultSet rs =
          s.executeQuery(
              "select (select deposed from shard_meta.fence),"
                  + " pg_current_wal_lsn() - '0/0'::pg_lsn")) {
        rs.next();
        deposed = rs.getObject(1) == null ? null : rs.getBoolean(1);
        return new NodeHealth(
            address, true, "primary", null, null, rs.getLong(2), sync, deposed, null);
      } catch (SQLException noFenceYet) {
        return new NodeHealth(address, true, "primary", null, null, null, sync, null, null);
      }
    } catch (SQLException e) {
      return NodeHealth.down(address, e.getMessage());
    }
  }

  private static String hostPort(String host, int port) {
    // The suite and the tests address nodes as 127.0.0.1; a replica may report "localhost".
    String normalised = "localhost".equals(host) ? "127.0.0.1" : host;
    return normalised + ":" + port;
  }
}
