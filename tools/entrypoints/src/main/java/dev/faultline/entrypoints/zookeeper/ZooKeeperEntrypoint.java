package dev.faultline.entrypoints.zookeeper;

import dev.faultline.cluster.kubernetes.PodNames;
import dev.faultline.cluster.zookeeper.ZooKeeperEnsemble;
import dev.faultline.cluster.zookeeper.ZooKeeperPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A ZooKeeper peer in a container or pod: writes its configuration with the same settings {@code
 * bin/suite} gives its peers ({@link ZooKeeperEnsemble}), then runs the real server, {@code
 * QuorumPeerMain}, in this JVM (the container's first process). From the environment: {@code
 * ZOO_MY_ID} (1..n, as the official image names it), {@code FAULTLINE_ZK_HOSTS} (every peer's host,
 * in id order: {@code zk-1,zk-2,zk-3}) and {@code FAULTLINE_ZK_HOME} (its data volume).
 *
 * <p>In a StatefulSet every pod has the same environment, so without {@code ZOO_MY_ID} a peer finds
 * itself in {@code FAULTLINE_ZK_HOSTS} by its own host name ({@code HOSTNAME}, the pod's name):
 * {@code zk-1} in {@code zk-0.zk-peers,zk-1.zk-peers,zk-2.zk-peers} is peer 2.
 */
public final class ZooKeeperEntrypoint {
  /** Every variable a peer reads. */
  public static final List<String> KEYS =
      List.of("ZOO_MY_ID", "FAULTLINE_ZK_HOSTS", "FAULTLINE_ZK_HOME", "HOSTNAME");

  private ZooKeeperEntrypoint() {}

  public static void run(Map<String, String> env) throws IOException {
    ZooKeeperPeer peer = configure(env);
    // Before ZooKeeper's first class loads: logging is set up when its first logger is made.
    System.setProperty(
        "logback.configurationFile", peer.dir().resolve("logback.xml").toAbsolutePath().toString());
    System.setProperty("zookeeper.jmx.log4j.disable", "true");
    org.apache.zookeeper.server.quorum.QuorumPeerMain.main(
        new String[] {peer.configFile().toAbsolutePath().toString()});
  }

  /** Writes this peer's zoo.cfg, myid and logging setup; returns the peer. */
  static ZooKeeperPeer configure(Map<String, String> env) throws IOException {
    List<String> hosts =
        Arrays.stream(env.getOrDefault("FAULTLINE_ZK_HOSTS", "zk-1,zk-2,zk-3").split(","))
            .map(String::trim)
            .filter(h -> !h.isEmpty())
            .toList();
    String id = env.get("ZOO_MY_ID");
    if ((id == null || id.isBlank()) && env.get("HOSTNAME") != null) {
      id = idByHostName(hosts, env.get("HOSTNAME").trim());
    }
    if (id == null || !id.trim().matches("\\d{1,3}")) {
      throw new IllegalArgumentException(
          "ZOO_MY_ID must be this peer's id (1.." + hosts.size() + ")");
    }
    int myId = Integer.parseInt(id.trim());
    if (myId < 1 || myId > hosts.size()) {
      throw new IllegalArgumentException(
          "ZOO_MY_ID=" + myId + " but FAULTLINE_ZK_HOSTS names " + hosts.size() + " peers");
    }
    ZooKeeperEnsemble ensemble =
        ZooKeeperEnsemble.onNetwork(
            hosts, Path.of(env.getOrDefault("FAULTLINE_ZK_HOME", "/var/lib/zookeeper")));
    ZooKeeperPeer peer = ensemble.peer(myId);
    ensemble.writeConfig(peer);
    return peer;
  }

  /** This peer's id by its host name: the position (from 1) of the host whose first label it is. */
  static String idByHostName(List<String> hosts, String hostName) {
    String self = PodNames.of(hostName);
    for (int i = 0; i < hosts.size(); i++) {
      if (PodNames.of(hosts.get(i)).equals(self)) {
        return Integer.toString(i + 1);
      }
    }
    throw new IllegalArgumentException(
        "ZOO_MY_ID is not set and this host ("
            + hostName
            + ") is not one of FAULTLINE_ZK_HOSTS ("
            + String.join(",", hosts)
            + ")");
  }
}
