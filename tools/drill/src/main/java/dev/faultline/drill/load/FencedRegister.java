package dev.faultline.drill.load;

import dev.faultline.drill.suite.Deployment;
import dev.faultline.drill.suite.ShardPrimary;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The storage the drill's lock holders write to: a table on shard 0's current primary (so it is
 * replicated and fails over with it) that accepts a write only if its fencing token is not lower
 * than the newest it accepted for that resource, in one statement, as {@code StorageFence} does for
 * accounts. Every attempt is logged with its verdict, in commit order per resource (the upsert
 * locks the fence row even when its WHERE refuses the update, the lock is held until commit, and
 * the log's sequence is drawn under it), for the checker.
 */
public final class FencedRegister {
  private final Deployment suite;
  private final ShardPrimary primary;
  private final String run;
  // Idle connections to the current primary, reused: in a container stack each new one is a
  // process (a docker exec through the container), too dear to open per write.
  private final java.util.concurrent.BlockingQueue<Connection> idle =
      new java.util.concurrent.LinkedBlockingQueue<>();

  public FencedRegister(Deployment suite, ShardPrimary primary, String run) {
    this.suite = suite;
    this.primary = primary;
    this.run = run;
  }

  public void create() throws IOException, SQLException {
    try (Connection db = suite.database(primary.get());
        Statement s = db.createStatement()) {
      s.execute("create schema if not exists drill");
      s.execute(
          "create table if not exists drill.fences (resource text primary key,"
              + " token bigint not null)");
      s.execute(
          "create table if not exists drill.writes (seq bigserial primary key, run text not null,"
              + " resource text not null, token bigint not null, accepted boolean not null,"
              + " holder text not null, at timestamptz not null default now())");
    }
  }

  /**
   * Writes under {@code token}; true if storage accepted it, false if a newer token had written.
   */
  public boolean write(String resource, long token, String holder)
      throws IOException, SQLException {
    Connection db = idle.poll();
    try {
      if (db == null) {
        db = suite.database(primary.get());
      }
      boolean accepted = writeOnce(db, resource, token, holder);
      idle.add(db);
      return accepted;
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(db);
      forgetAll(); // the primary may have moved: ask the router again, connect afresh
      throw e;
    }
  }

  private void forgetAll() {
    primary.forget();
    Connection c;
    while ((c = idle.poll()) != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection db) {
    if (db == null) {
      return;
    }
    try {
      db.close();
    } catch (SQLException e) {
      // broken already: that is why it is being closed
    }
  }

  private boolean writeOnce(Connection db, String resource, long token, String holder)
      throws SQLException {
    db.setAutoCommit(false);
    boolean accepted;
    try (PreparedStatement fence =
        db.prepareStatement(
            "insert into drill.fences (resource, token) values (?, ?) on conflict (resource)"
                + " do update set token = excluded.token where drill.fences.token <="
                + " excluded.token returning token")) {
      fence.setString(1, resource);
      fence.setLong(2, token);
      try (ResultSet rs = fence.executeQuery()) {
        accepted = rs.next();
      }
    }
    try (PreparedStatement log =
        db.prepareStatement(
            "insert into drill.writes (run, resource, token, accepted, holder)"
                + " values (?, ?, ?, ?, ?)")) {
      log.setString(1, run);
      log.setString(2, resource);
      log.setLong(3, token);
      log.setBoolean(4, accepted);
      log.setString(5, holder);
      log.executeUpdate();
    }
    db.commit();
    return accepted;
  }
}
