package dev.faultline.cluster.zookeeper;

import java.nio.file.Path;

/** One ZooKeeper server: its id ({@code myid}), its three loopback ports and its data folder. */
public record ZooKeeperPeer(int id, int clientPort, int quorumPort, int electionPort, Path dir) {

  public ZooKeeperPeer {
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException("ZooKeeper server ids are 1..255, got " + id);
    }
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
