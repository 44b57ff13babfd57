package dev.faultline.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.ApiProbe;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.ValidRequests;
import dev.faultline.testing.WithZooKeeper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every lock endpoint its OpenAPI document describes, probed with bad input derived from it: each
 * answer a 4xx problem, and ZooKeeper's lock tree exactly as before.
 */
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LockApiProbeIT {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;

  /** The ephemeral owner ZooKeeper gives a container node. */
  private static final long CONTAINER = Long.MIN_VALUE;

  @Test
  void badInputToEveryDescribedEndpointIsA4xxProblemAndChangesNothing() throws Exception {
    Http http = Http.localServer(environment);
    String alice = TestTokens.customer("alice");
    String name = "probe-" + UUID.randomUUID();
    List<String> before = tree("/faultline");

    ApiProbe.Report report =
        ApiProbe.run(http, ValidRequests.locks(name, UUID.randomUUID().toString(), alice));

    System.out.println(report.probes() + " bad requests to " + report.operations());
    assertThat(report.findings()).isEmpty();
    assertThat(report.probes()).isGreaterThan(80);
    // Nothing made and nothing written. Nodes may go meanwhile, and only by other tests' doing:
    // this JVM's other lock-service contexts reap their leases as they expire, and ZooKeeper
    // sweeps empty containers. The probe's own lock name is never granted, so it has no node.
    List<String> after = tree("/faultline");
    assertThat(after).isSubsetOf(before);
    assertThat(after).noneMatch(path -> path.contains(name));
  }

  /** Every node under {@code root} with its data version: what a write would change. */
  private List<String> tree(String root) throws Exception {
    List<String> nodes = new ArrayList<>();
    if (zk.checkExists().forPath(root) == null) {
      return nodes;
    }
    walk(root, nodes);
    return nodes;
  }

  private void walk(String path, List<String> nodes) throws Exception {
    var stat = zk.checkExists().forPath(path);
    if (stat == null) {
      return;
    }
    // Not containers, nor child versions: ZooKeeper deletes an empty container by itself at any
    // moment (a queue or an owner's index left by another test), which moves its parent's child
    // version. What a bad request must not do is make a node or write one's data.
    if (stat.getEphemeralOwner() != CONTAINER) {
      nodes.add(path + "@" + stat.getVersion());
    }
    for (String child : zk.getChildren().forPath(path)) {
      if (!path.startsWith("/faultline/services")) { // discovery registrations come and go
        walk(path.equals("/") ? "/" + child : path + "/" + child, nodes);
      }
    }
  }
}
