package dev.faultline.router.health;

import dev.faultline.shard.ShardsProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Asks one PostgreSQL node what it is: reachable, primary or replica (in recovery), and for a
 * replica how far its replay trails what it has received. A fresh connection each time: a pooled
 * one would report a node as up after it died.
 */
@Component
public class NodeProbe {
  private final ShardsProperties shards;

  NodeProbe(ShardsProperties shards) {
    this.shards = shards;
  }

  public NodeHealth probe(String address) {
    Properties props = new Properties();
    props.setProperty("user", shards.username());
    props.setProperty("password", shards.password() == null ? "" : shards.password());
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "3");
    props.setProperty("ApplicationName", "shard-router-probe");
    String url = "jdbc:postgresql://" + address + "/" + shards.database();
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select pg_is_in_recovery(), case when pg_is_in_recovery()"
                    + " and pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()"
                    + " then coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)"
                    + " else 0 end")) {
      rs.next();
      boolean replica = rs.getBoolean(1);
      return new NodeHealth(address, true, replica ? "replica" : "primary", rs.getDouble(2));
    } catch (SQLException e) {
      return NodeHealth.down(address);
    }
  }
}
