package dev.faultline.router.health;

import dev.faultline.replication.ReplicationState;
import dev.faultline.router.RouterProperties;
import dev.faultline.shard.ShardsProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
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
    try (Connection c = admin(address, 2)) {
      return switch (ReplicationState.read(c)) {
        case ReplicationState.Replica r ->
            new NodeHealth(
                address,
                true,
                "replica",
                r.upstream(),
                r.lagSeconds(),
                r.walPosition(),
                null,
                null,
                null);
        case ReplicationState.Primary p ->
            new NodeHealth(
                address,
                true,
                "primary",
                null,
                null,
                p.walPosition(),
                p.synchronousStandbys(),
                deposed(c),
                null);
      };
    } catch (SQLException e) {
      return NodeHealth.down(address, e.getMessage());
    }
  }

  /** The primary's fence flag; null before the router has fenced it the first time. */
  private static @Nullable Boolean deposed(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select deposed from shard_meta.fence")) {
      return rs.next() ? rs.getBoolean(1) : null;
    } catch (SQLException noFenceYet) {
      return null;
    }
  }
}
