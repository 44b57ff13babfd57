package dev.faultline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.cluster.zookeeper.PeerMode;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;

@WithZooKeeper(servers = 3, shared = false)
class ZooKeeperEnsembleIT {
  private final ZooKeeperCluster zk;

  ZooKeeperEnsembleIT(ZooKeeperCluster zk) {
    this.zk = zk;
  }

  @Test
  void ensembleElectsOneLeaderAndSurvivesItsDeathWithTheDataIntact() throws Exception {
    assertThat(zk.size()).isEqualTo(3);
    int leader = zk.leader().orElseThrow();
    try (CuratorFramework client = client()) {
      client.create().forPath("/survives", "v1".getBytes());

      zk.killServer(leader);
      assertThat(zk.mode(leader)).isEqualTo(PeerMode.DOWN);
      assertThat(zk.awaitNewLeader(leader, Duration.ofSeconds(30))).isNotEqualTo(leader);

      assertThat(new String(client.getData().forPath("/survives"))).isEqualTo("v1");
      client.setData().forPath("/survives", "v2".getBytes());
    }
    zk.startServer(leader);
    zk.awaitAllServing(Duration.ofSeconds(30));
    assertThat(
            java.util.stream.IntStream.rangeClosed(1, 3)
                .mapToObj(zk::mode)
                .filter(PeerMode::serving)
                .count())
        .isEqualTo(3);
  }

  @Test
  void minorityIsNotServing() throws Exception {
    zk.awaitAllServing(Duration.ofSeconds(30));
    int[] followers =
        java.util.stream.IntStream.rangeClosed(1, 3)
            .filter(id -> zk.mode(id) == PeerMode.FOLLOWER)
            .toArray();
    int leader = zk.leader().orElseThrow();
    zk.killServer(followers[0]);
    zk.killServer(leader);
    try {
      // The survivor drops out of service once it loses its quorum.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (zk.mode(followers[1]).serving() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(zk.mode(followers[1])).isEqualTo(PeerMode.NOT_SERVING);
    } finally {
      zk.startServer(followers[0]);
      zk.startServer(leader);
      zk.awaitAllServing(Duration.ofSeconds(30));
    }
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(
            zk.connectString(), 10_000, 3_000, new ExponentialBackoffRetry(100, 10));
    client.start();
    assertThat(client.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return client;
  }
}
