package dev.faultline.shard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The first statement of every write transaction: read this node's fence row FOR SHARE and check it
 * against the writer's view. Because the row stays share-locked until commit, a router that bumps
 * the fence waits for in-flight writes, and every write after the bump sees it. A slot-routed write
 * also checks the slot's own fence (frozen for a cutover, or moved away) and names its slot for the
 * transaction, which the rows it inserts take as theirs ({@code shard_meta.current_slot()}).
 */
final class WriteFence {
  private WriteFence() {}

  static void check(Connection connection, int shard, long writerEpoch, String node)
      throws SQLException {
    check(connection, shard, writerEpoch, node, -1);
  }

  /** As {@link #check(Connection, int, long, String)}, for a write to one slot ({@code >= 0}). */
  static void check(Connection connection, int shard, long writerEpoch, String node, int slot)
      throws SQLException {
    String sql =
        slot < 0
            ? "select shard_id, epoch, deposed, null from shard_meta.fence for share"
            : "select shard_id, epoch, deposed,"
                + " (select state from shard_meta.slot_fence where slot = ?),"
                + " set_config('faultline.slot', ?, true)"
                + " from shard_meta.fence for share";
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      if (slot >= 0) {
        s.setInt(1, slot);
        s.setString(2, Integer.toString(slot));
      }
      try (ResultSet rs = s.executeQuery()) {
        verify(rs, shard, writerEpoch, node, slot);
      }
    }
  }

  private static void verify(ResultSet rs, int shard, long writerEpoch, String node, int slot)
      throws SQLException {
    {
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
      String slotState = rs.getString(4);
      if (slotState != null) {
        throw new ShardRefusedException.SlotMoving(
            shard, slot, "node " + node + " holds it " + slotState);
      }
    }
  }

  /**
   * The read-side check of a slot: a node the slot has moved away from refuses to answer for it, so
   * no key is read from two owners. A frozen slot still reads (its data is whole there).
   */
  static boolean slotGone(Connection connection, int slot) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select 1 from shard_meta.slot_fence where slot = ? and state = 'GONE'")) {
      s.setInt(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
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
