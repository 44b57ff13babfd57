package dev.faultline.cluster.zookeeper;

import java.nio.file.Path;

/**
 * One ZooKeeper server: its id ({@code myid}), the host its peers and clients reach it at, its
 * three ports and its data folder.
 */
public record ZooKeeperPeer(
    int id, String host, int clientPort, int quorumPort, int electionPort, Path dir) {

  public ZooKeeperPeer {
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException("ZooKeeper server ids are 1..255, got " + id);
    }
    if (host.isBlank() || host.contains(":") || host.contains(",")) {
      throw new IllegalArgumentException("not a host name or IPv4 address: '" + host + "'");
    }
  }

  /** A peer on loopback, as the local suite and the tests run them. */
  public ZooKeeperPeer(int id, int clientPort, int quorumPort, int electionPort, Path dir) {
    this(id, "127.0.0.1", clientPort, quorumPort, electionPort, dir);
  }

  public String name() {
    return "zk-" + id;
  }

  public Path configFile() {
    return dir.resolve("zoo.cfg");
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path logFile() {
    return dir.resolve("zookeeper.log");
  }
}
