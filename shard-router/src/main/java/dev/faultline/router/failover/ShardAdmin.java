package dev.faultline.router.failover;

import dev.faultline.replication.ReplicationState;
import dev.faultline.router.health.NodeProbe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What the router does to PostgreSQL nodes: promote, switch synchronous replication, move a fence.
 * Fence changes commit with {@code synchronous_commit = local}: they must work when the shard has
 * no standby (that is often why they happen), and they protect, they do not carry data.
 */
@Component
class ShardAdmin {
  private final NodeProbe nodes;

  ShardAdmin(NodeProbe nodes) {
    this.nodes = nodes;
  }

  /** Promotes a replica and waits until it accepts writes; a no-op on a node already promoted. */
  void promote(String replica) throws SQLException {
    try (Connection c = nodes.admin(replica, 40);
        Statement s = c.createStatement()) {
      if (ReplicationState.read(c) instanceof ReplicationState.Primary) {
        return;
      }
      try (ResultSet rs = s.executeQuery("select pg_promote(true, 30)")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new SQLException(replica + " did not finish promotion within 30 s");
        }
      }
    }
  }

  /**
   * Makes commits on {@code primary} wait for any one standby ({@code true}) or for none. Takes
   * effect on reload: commits already waiting are released when it is turned off.
   */
  void synchronous(String primary, boolean required) throws SQLException {
    try (Connection c = nodes.admin(primary, 5);
        Statement s = c.createStatement()) {
      s.execute("alter system set synchronous_standby_names = '" + (required ? "*" : "") + "'");
      s.execute("select pg_reload_conf()");
    }
  }

  /**
   * Establishes {@code node} as the primary of {@code shard} under {@code epoch}: writers holding
   * an older topology are refused from now on. Waits for in-flight writes (they hold the row).
   * Fenced by the router's lease token: refused if a newer lease holder moved this fence already.
   */
  void establish(String node, int shard, long epoch, long routerToken) throws SQLException {
    fence(
        node,
        "update shard_meta.fence set shard_id = ?, epoch = ?, deposed = false, router_token = ?,"
            + " changed_at = now() where router_token <= ?",
        shard,
        epoch,
        routerToken,
        routerToken);
  }

  /** Marks a replaced primary so it refuses every write, even from writers that think it rules. */
  void depose(String node, int shard, long epoch, long routerToken) throws SQLException {
    fence(
        node,
        "update shard_meta.fence set deposed = true, epoch = greatest(epoch, ?), router_token = ?,"
            + " changed_at = now() where shard_id = ? and router_token <= ?",
        epoch,
        routerToken,
        shard,
        routerToken);
  }

  /**
   * One fence change, committed locally only ({@code synchronous_commit = local}). No row updated
   * means a router with a newer lease token has been here: this one must stop.
   */
  private void fence(String node, String sql, long... params) throws SQLException {
    try (Connection c = nodes.admin(node, 10)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("set local synchronous_commit = local");
        s.execute("set local lock_timeout = '5s'");
      }
      int updated;
      try (PreparedStatement p = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          p.setLong(i + 1, params[i]);
        }
        updated = p.executeUpdate();
      }
      if (updated == 0) {
        c.rollback();
        throw new StaleRouterTokenException(node, params[params.length - 1]);
      }
      c.commit();
    }
  }

  /** Waits until {@code primary} has a standby that confirms commits synchronously. */
  boolean awaitSynchronousStandby(String primary, Duration timeout)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(state(primary) instanceof ReplicationState.Primary p && p.synchronousStandbys() > 0)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private ReplicationState state(String node) throws SQLException {
    try (Connection c = nodes.admin(node, 5)) {
      return ReplicationState.read(c);
    }
  }

  /** Waits until {@code replica} has flushed everything {@code primary} has written so far. */
  boolean awaitCaughtUp(String primary, String replica, Duration timeout)
      throws SQLException, InterruptedException {
    long target = state(primary).walPosition();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (state(replica).walPosition() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
