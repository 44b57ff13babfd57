package dev.faultline.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** lock-service against a real ZooKeeper, called over HTTP with real tokens. */
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LockApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;

  Http http;

  @BeforeEach
  void setUp() {
    http = Http.localhost(environment.getRequiredProperty("local.server.port", Integer.class));
  }

  @Test
  void aFreeLockIs404Problem() throws Exception {
    HttpResponse<String> response = http.get("/api/locks/free-lock", TestTokens.customer("a"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:lock-not-held");
  }

  @Test
  void aHeldLockShowsItsHolderAndTheLeaseNodesCreationZxidAsToken() throws Exception {
    String path = "/faultline/locks/held-lock/lease";
    zk.create()
        .creatingParentsIfNeeded()
        .forPath(path, "{\"holder\":\"a\",\"leaseId\":\"l-1\",\"ttlMs\":5000}".getBytes());
    Stat stat = zk.checkExists().forPath(path);

    JsonNode lease =
        JSON.readTree(http.get("/api/locks/held-lock", TestTokens.customer("a")).body());
    assertThat(lease.get("holder").asString()).isEqualTo("a");
    assertThat(lease.get("fencingToken").asLong()).isEqualTo(stat.getCzxid());
  }

  @Test
  void aNameThatIsNotAPathSegmentIs400() throws Exception {
    HttpResponse<String> response = http.get("/api/locks/bad%20name", TestTokens.customer("a"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:invalid-lock-name");
  }
}
