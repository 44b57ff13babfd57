package dev.faultline.cluster.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZooKeeperEnsembleTests {
  private final ZooKeeperEnsemble ensemble =
      ZooKeeperEnsemble.onLoopback(Path.of("/tmp/zk"), 3, 2181, 2881);

  @Test
  void peersGetConsecutiveLoopbackPortsAndAConnectStringOfAll() {
    assertThat(ensemble.connectString()).isEqualTo("127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183");
    assertThat(ensemble.peer(2).quorumPort()).isEqualTo(2882);
    assertThat(ensemble.peer(3).electionPort()).isEqualTo(3883);
    assertThat(ensemble.peer(1).name()).isEqualTo("zk-1");
  }

  @Test
  void configListsEveryServerAndKeepsTheAdminServerOffThePublicPorts() {
    String config = ensemble.config(ensemble.peer(1));
    assertThat(config)
        .contains("server.1=127.0.0.1:2881:3881;127.0.0.1:2181")
        .contains("server.3=127.0.0.1:2883:3883;127.0.0.1:2183")
        .contains("clientPortAddress=127.0.0.1")
        .contains("admin.enableServer=false")
        .contains("tickTime=1000");
  }

  @Test
  void peersWithAddressesOfTheirOwnUseTheStandardPortsAndListenOnEveryAddress() {
    var network = ZooKeeperEnsemble.onNetwork(List.of("zk-1", "zk-2", "zk-3"), Path.of("/data"));
    assertThat(network.connectString()).isEqualTo("zk-1:2181,zk-2:2181,zk-3:2181");
    String config = network.config(network.peer(2));
    assertThat(config)
        .contains("server.1=zk-1:2888:3888;2181")
        .contains("server.2=zk-2:2888:3888;2181")
        .contains("quorumListenOnAllIPs=true")
        .contains("dataDir=/data/data")
        .doesNotContain("clientPortAddress");
  }

  @Test
  void aSingleServerRunsStandalone() {
    var single = ZooKeeperEnsemble.onLoopback(Path.of("/tmp/zk1"), 1, 3181, 3881);
    assertThat(single.config(single.peer(1))).doesNotContain("server.1=");
  }

  @Test
  void srvrAnswersAreParsedIntoModes() {
    assertThat(
            PeerMode.parse("Zookeeper version: 3.9.4\nLatency min/avg/max: 0/0/0\nMode: leader\n"))
        .isEqualTo(PeerMode.LEADER);
    assertThat(PeerMode.parse("Mode: follower\n").serving()).isTrue();
    assertThat(PeerMode.parse("This ZooKeeper instance is not currently serving requests\n"))
        .isEqualTo(PeerMode.NOT_SERVING);
    assertThat(PeerMode.NOT_SERVING.serving()).isFalse();
  }
}
