package dev.faultline.shard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The first statement of every write transaction: read this node's fence row FOR SHARE and check it
 * against the writer's view. Because the row stays share-locked until commit, a router that bumps
 * the fence waits for in-flight writes, and every write after the bump sees it.
 */
final class WriteFence {
  private WriteFence() {}

  static void check(Connection connection, int shard, long writerEpoch, String node)
      throws SQLException {
    try (PreparedStatement s =
            connection.prepareStatement(
                "select shard_id, epoch, deposed from shard_meta.fence for share");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("node " + node + " has no fence row: not a shard primary");
      }
      int nodeShard = rs.getInt(1);
      long nodeEpoch = rs.getLong(2);
      if (nodeShard != shard) {
        throw new IllegalStateException(
            "node " + node + " serves shard " + nodeShard + ", the topology says " + shard);
      }
      if (rs.getBoolean(3)) {
        throw new ShardRefusedException.Deposed(shard, node);
      }
      if (nodeEpoch > writerEpoch) {
        throw new ShardRefusedException.StaleTopology(shard, writerEpoch, nodeEpoch);
      }
    }
  }

  /** Creates the fence row of a shard's first primary; a no-op once it exists. */
  static void initialise(Connection connection, int shard, long epoch) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "insert into shard_meta.fence (shard_id, epoch) values (?, ?)"
                + " on conflict (singleton) do nothing")) {
      s.setInt(1, shard);
      s.setLong(2, epoch);
      s.executeUpdate();
    }
  }
}
