package dev.faultline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.cluster.postgres.NodeStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@WithPostgres(replica = true, shared = false)
class PostgresShardIT {
  private final PostgresShard shard;

  PostgresShardIT(PostgresShard shard) {
    this.shard = shard;
  }

  @Test
  void replicaStreamsSynchronouslyAndServesReadsOfCommittedRows() throws Exception {
    assertThat(shard.primary().probe())
        .isInstanceOfSatisfying(
            NodeStatus.Primary.class, p -> assertThat(p.synchronousStandbys()).isEqualTo(1));
    try (Connection c = shard.primary().appConnection();
        Statement s = c.createStatement()) {
      s.execute("create table if not exists probe (id int primary key)");
      s.execute("insert into probe values (1)");
    }
    // Synchronous commit waited for the standby's flush; replay follows within moments.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (count(shard.replica()) < 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(count(shard.replica())).isEqualTo(1);
    assertThatThrownBy(
            () -> {
              try (Connection c = shard.replica().appConnection();
                  Statement s = c.createStatement()) {
                s.execute("insert into probe values (2)");
              }
            })
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("read-only");
  }

  @Test
  void applicationRoleNeedsItsPassword() {
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        shard.primary().jdbcUrl(), shard.appUser(), "not-the-password")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  private static long count(dev.faultline.cluster.postgres.PostgresNode node) throws SQLException {
    try (Connection c = node.appConnection();
        Statement s = c.createStatement()) {
      if (!s.executeQuery("select to_regclass('probe') is not null").next()) {
        return 0;
      }
      try (ResultSet rs = s.executeQuery("select count(*) from probe")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        return 0; // table not replayed yet
      }
    }
  }
}
