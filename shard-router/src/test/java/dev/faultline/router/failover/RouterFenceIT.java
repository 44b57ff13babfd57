package dev.faultline.router.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.SharedInfrastructure;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Storage-side fencing of the router: a fence in PostgreSQL moves only under a router lease token
 * at least as large as the last one that moved it, checked in the same UPDATE.
 */
@WithZooKeeper
@WithPostgres
@SpringBootTest
class RouterFenceIT {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
  }

  @Autowired ShardAdmin admin;

  private static PostgresShard shard() {
    return SharedInfrastructure.postgres(false);
  }

  private static String node() {
    return "127.0.0.1:" + shard().primary().port();
  }

  private static long[] fence() throws Exception {
    try (Connection c = shard().primary().superuserConnection("faultline");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select epoch, router_token, deposed::int from shard_meta.fence")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  @AfterEach
  void reset() throws Exception {
    try (Connection c = shard().primary().superuserConnection("faultline");
        Statement s = c.createStatement()) {
      s.execute("update shard_meta.fence set router_token = 0, deposed = false, epoch = 1");
    }
  }

  @Test
  void aRouterWithAnOlderLeaseTokenCannotMoveTheFence() throws Exception {
    admin.establish(node(), 0, 5, 100);
    assertThat(fence()).containsExactly(5, 100, 0);

    // A router that lost its lease to the one holding token 100 wakes up and acts.
    assertThatThrownBy(() -> admin.establish(node(), 0, 9, 99))
        .isInstanceOf(StaleRouterTokenException.class);
    assertThatThrownBy(() -> admin.depose(node(), 0, 9, 42))
        .isInstanceOf(StaleRouterTokenException.class);
    assertThat(fence()).containsExactly(5, 100, 0); // nothing changed

    // The current holder (same token) and later ones (larger tokens) may.
    admin.establish(node(), 0, 6, 100);
    admin.depose(node(), 0, 7, 101);
    assertThat(fence()).containsExactly(7, 101, 1);
  }
}
