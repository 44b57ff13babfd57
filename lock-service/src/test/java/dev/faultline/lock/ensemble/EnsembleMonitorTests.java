package dev.faultline.lock.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading ZooKeeper's {@code srvr} answer and the connect string. */
class EnsembleMonitorTests {

  @Test
  void aPeerInAQuorumServesAndSaysItsRole() {
    String srvr =
        """
        Zookeeper version: 3.9.4, built on 2025-08-19 19:53 UTC
        Latency min/avg/max: 0/0.4/12
        Received: 120
        Sent: 119
        Connections: 3
        Outstanding: 0
        Zxid: 0x100000040
        Mode: leader
        Node count: 42
        """;
    assertThat(EnsembleMonitor.Mode.of(srvr)).isEqualTo(EnsembleMonitor.Mode.LEADER);
    assertThat(EnsembleMonitor.Mode.of(srvr.replace("leader", "follower")).serving()).isTrue();
  }

  @Test
  void aPeerWithoutAQuorumDoesNotServe() {
    assertThat(
            EnsembleMonitor.Mode.of("This ZooKeeper instance is not currently serving requests\n")
                .serving())
        .isFalse();
    assertThat(EnsembleMonitor.Mode.of("").serving()).isFalse();
  }

  @Test
  void peersAreTheConnectStringsServersWithoutTheChroot() {
    assertThat(EnsembleMonitor.peers("zk-1:2181, zk-2:2181,zk-3:2181/faultline"))
        .containsExactly("zk-1:2181", "zk-2:2181", "zk-3:2181");
  }
}
