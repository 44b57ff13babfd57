package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** shard-router against a real primary + streaming replica and a real ZooKeeper. */
@WithPostgres(replica = true)
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShardApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, true);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;

  @Test
  void shardsShowTheTopologyFromZooKeeperAndEachNodesLiveRole() throws Exception {
    Http http = Http.localhost(environment.getRequiredProperty("local.server.port", Integer.class));
    JsonNode view = JSON.readTree(http.get("/api/shards", TestTokens.customer("a")).body());

    assertThat(view.get("epoch").asLong()).isEqualTo(1);
    JsonNode shard = view.get("shards").get(0);
    assertThat(shard.get("health").get(0).get("role").asString()).isEqualTo("primary");
    assertThat(shard.get("health").get(1).get("role").asString()).isEqualTo("replica");
    assertThat(shard.get("health").get(1).get("up").asBoolean()).isTrue();
    // Seeded into ZooKeeper on first read: from now on ZooKeeper's copy is the truth.
    JsonNode stored = JSON.readTree(zk.getData().forPath("/faultline/shards/topology"));
    assertThat(stored.get("epoch").asLong()).isEqualTo(1);
    assertThat(stored.get("shards").get(0).get("primary").asString())
        .isEqualTo(shard.get("primary").asString());
  }
}
