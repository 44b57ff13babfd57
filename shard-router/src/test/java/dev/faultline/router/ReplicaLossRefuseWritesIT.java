package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardRefusedException;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.WithZooKeeper;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The strict replica-loss policy: a shard whose synchronous replica is gone refuses writes (503 in
 * the services) rather than acknowledge a write held by one node, and takes them again once the
 * replica is back in sync.
 */
@WithZooKeeper
@RouterOverOwnShards
@TestPropertySource(properties = "faultline.router.replica-loss-policy=refuse-writes")
class ReplicaLossRefuseWritesIT {
  @RegisterExtension static final ShardFixture fixture = new ShardFixture(1);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    fixture.register(registry::add);
  }

  @Autowired CuratorFramework zk;
  @Autowired TopologyStore store;

  private ShardState state() throws Exception {
    return store.read().orElseThrow().topology().shard(0).orElseThrow().state();
  }

  @Test
  void writesAreRefusedWhileTheReplicaIsGoneAndResumeWhenItIsBackInSync() throws Exception {
    ShardClient client = fixture.client(zk);
    PostgresShard shard = fixture.shard(0);
    client.write("a", db -> db.sql("insert into items (id) values ('a')").update());

    shard.kill(shard.replica());
    await().atMost(Duration.ofSeconds(15)).until(() -> state() == ShardState.READ_ONLY);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> client.view().topology().shard(0).orElseThrow().state() == ShardState.READ_ONLY);
    assertThatThrownBy(
            () -> client.write("b", db -> db.sql("insert into items (id) values ('b')").update()))
        .isInstanceOf(ShardRefusedException.Unavailable.class);

    shard.startNode(shard.replica());
    await().atMost(Duration.ofSeconds(30)).until(() -> state() == ShardState.SYNC);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> client.view().topology().shard(0).orElseThrow().state() == ShardState.SYNC);
    int written = client.write("b", db -> db.sql("insert into items (id) values ('b')").update());
    assertThat(written).isEqualTo(1);
  }
}
