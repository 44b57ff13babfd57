package dev.faultline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.testing.Http;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway when ZooKeeper, its service registry, loses its quorum: it routes on to the instances
 * it last saw, which are all still running, instead of refusing every request as if none existed
 * (and instead of stalling its event loops on Curator's retries, which it did before).
 */
@WithZooKeeper(servers = 3, shared = false)
class DiscoveryOutageIT {
  private static final String CUSTOMER = TestTokens.customer("alice");

  private static ZooKeeperCluster cluster;
  private static ConfigurableApplicationContext gateway;
  private static CuratorFramework registrar;

  @BeforeAll
  static void start(ZooKeeperCluster zooKeeper) {
    cluster = zooKeeper;
    registrar = CuratorFrameworkFactory.newClient(cluster.connectString(), new RetryOneTime(100));
    registrar.start();
    gateway =
        new SpringApplicationBuilder(GatewayApplication.class)
            .run(
                "--server.port=0",
                "--faultline.instance-id=gateway-outage",
                "--spring.cloud.zookeeper.connect-string=" + cluster.connectString(),
                "--faultline.auth.public-key-file=" + TestTokens.publicKeyFile());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (registrar != null) {
      registrar.close();
    }
  }

  @Test
  void withoutAZooKeeperQuorumRequestsStillReachTheInstancesLastListed() throws Exception {
    Http http = Http.localServer(gateway.getEnvironment());
    try (StubService orders = StubService.answering(registrar, "order-service", () -> 200)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> http.get("/api/orders/o-1", CUSTOMER).statusCode() == 200);

      // Two of three peers gone: no quorum. The gateway's session is lost after its timeout (6 s),
      // and every discovery call fails from then on.
      List<Integer> killed = new ArrayList<>();
      for (int id = 1; id <= cluster.size() && killed.size() < 2; id++) {
        cluster.killServer(id);
        killed.add(id);
      }
      long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      int answered = 0;
      while (System.nanoTime() < until) {
        assertThat(http.get("/api/orders/o-2", CUSTOMER).statusCode())
            .as("a request %d s into the outage", answered / 4)
            .isEqualTo(200);
        answered++;
        Thread.sleep(250);
      }
      assertThat(answered).isGreaterThan(20);

      for (int id : killed) {
        cluster.startServer(id);
      }
      cluster.awaitQuorum(Duration.ofSeconds(30));
    }
  }
}
