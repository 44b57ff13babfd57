package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.ShardsProperties;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shard API against a real primary + streaming replica and a real ZooKeeper. */
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
  @Autowired ShardsProperties shards;

  Http http;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
  }

  @Test
  void shardsShowTheTopologyFromZooKeeperAndEachNodesLiveRole() throws Exception {
    JsonNode view = JSON.readTree(http.get("/api/shards", TestTokens.customer("a")).body());

    assertThat(view.get("epoch").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(view.get("slots").asInt()).isEqualTo(16_384);
    JsonNode shard = view.get("shards").get(0);
    assertThat(shard.get("state").asString()).isEqualTo("SYNC");
    assertThat(shard.get("slots").asInt()).isEqualTo(16_384);
    assertThat(shard.get("health").get(0).get("role").asString()).isEqualTo("primary");
    assertThat(shard.get("health").get(0).get("synchronousStandbys").asInt()).isEqualTo(1);
    assertThat(shard.get("health").get(1).get("role").asString()).isEqualTo("replica");
    assertThat(shard.get("health").get(1).get("streamingFrom").asString())
        .isEqualTo(shard.get("primary").asString());
    JsonNode stored = JSON.readTree(zk.getData().forPath(shards.zkRoot() + "/topology"));
    assertThat(stored.get("shards").get(0).get("primary").asString())
        .isEqualTo(shard.get("primary").asString());
  }

  @Test
  void routeNamesTheHashSlotAndShardOfAKey() throws Exception {
    HttpResponse<String> response =
        http.get("/api/shards/route?key=customer-42", TestTokens.customer("a"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode route = JSON.readTree(response.body());
    assertThat(route.get("key").asString()).isEqualTo("customer-42");
    assertThat(route.get("hash").asString()).matches("[0-9a-f]{16}");
    assertThat(route.get("shard").asInt()).isZero();
    assertThat(route.get("slot").asInt()).isBetween(0, 16_383);
  }

  @Test
  void aMissingKeyIsA400Problem() throws Exception {
    HttpResponse<String> response = http.get("/api/shards/route", TestTokens.customer("a"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(response.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:invalid-key");
  }

  @Test
  void failoverNeedsAdminAndAnUnknownShardIs404() throws Exception {
    assertThat(http.post("/api/shards/0/failover", TestTokens.customer("a"), "").statusCode())
        .isEqualTo(403);
    HttpResponse<String> unknown = http.post("/api/shards/9/failover", TestTokens.admin(), "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:shard-not-found");
  }
}
