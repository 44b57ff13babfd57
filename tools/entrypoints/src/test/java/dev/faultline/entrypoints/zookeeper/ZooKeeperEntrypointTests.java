package dev.faultline.entrypoints.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.cluster.zookeeper.ZooKeeperPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperEntrypointTests {
  @TempDir Path home;

  @Test
  void writesThePeersConfigurationWithTheSuitesSettingsAndItsId() throws Exception {
    ZooKeeperPeer peer =
        ZooKeeperEntrypoint.configure(
            Map.of("ZOO_MY_ID", "2", "FAULTLINE_ZK_HOME", home.toString()));
    assertThat(Files.readString(peer.dataDir().resolve("myid")).trim()).isEqualTo("2");
    assertThat(Files.readString(peer.configFile()))
        .contains("server.1=zk-1:2888:3888;2181")
        .contains("server.3=zk-3:2888:3888;2181")
        .contains("tickTime=1000") // the same as bin/suite's peers
        .contains("admin.enableServer=false")
        .contains("4lw.commands.whitelist=srvr,ruok,mntr,stat");
    assertThat(home.resolve("logback.xml")).exists();
  }

  @Test
  void anIdOutsideTheEnsembleIsRefused() {
    assertThatThrownBy(
            () ->
                ZooKeeperEntrypoint.configure(
                    Map.of("ZOO_MY_ID", "4", "FAULTLINE_ZK_HOME", home.toString())))
        .hasMessageContaining("names 3 peers");
    assertThatThrownBy(() -> ZooKeeperEntrypoint.configure(Map.of("FAULTLINE_ZK_HOME", "/x")))
        .hasMessageContaining("ZOO_MY_ID");
  }

  @Test
  void inAStatefulSetAPeerFindsItsIdByItsPodName() throws Exception {
    ZooKeeperPeer peer =
        ZooKeeperEntrypoint.configure(
            Map.of(
                "HOSTNAME", "zk-1",
                "FAULTLINE_ZK_HOSTS", "zk-0.zk-peers,zk-1.zk-peers,zk-2.zk-peers",
                "FAULTLINE_ZK_HOME", home.toString()));
    assertThat(Files.readString(peer.dataDir().resolve("myid")).trim()).isEqualTo("2");
    assertThat(Files.readString(peer.configFile()))
        .contains("server.1=zk-0.zk-peers:2888:3888;2181")
        .contains("server.2=zk-1.zk-peers:2888:3888;2181");
    assertThatThrownBy(
            () ->
                ZooKeeperEntrypoint.configure(
                    Map.of(
                        "HOSTNAME", "zk-3",
                        "FAULTLINE_ZK_HOSTS", "zk-0.zk-peers,zk-1.zk-peers,zk-2.zk-peers",
                        "FAULTLINE_ZK_HOME", home.toString())))
        .hasMessageContaining("is not one of FAULTLINE_ZK_HOSTS");
  }
}
