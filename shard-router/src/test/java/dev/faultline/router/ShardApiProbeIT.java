package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.ShardsProperties;
import dev.faultline.testing.ApiProbe;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.ValidRequests;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every shard endpoint its OpenAPI document describes, probed with bad input derived from it: each
 * answer a 4xx problem, and the topology in ZooKeeper untouched (no failover, no new epoch).
 */
@WithPostgres(replica = true)
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShardApiProbeIT {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, true);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;
  @Autowired ShardsProperties shards;

  @Test
  void badInputToEveryDescribedEndpointIsA4xxProblemAndChangesNothing() throws Exception {
    String topology = shards.zkRoot() + "/topology";
    int version = zk.checkExists().forPath(topology).getVersion();
    String customer = TestTokens.customer("a");

    ApiProbe.Report report =
        ApiProbe.run(
            Http.localServer(environment), ValidRequests.shards(customer, TestTokens.admin()));

    System.out.println(report.probes() + " bad requests to " + report.operations());
    assertThat(report.findings()).isEmpty();
    assertThat(report.probes()).isGreaterThanOrEqualTo(15);
    assertThat(zk.checkExists().forPath(topology).getVersion()).isEqualTo(version);
  }
}
