package dev.faultline.cluster.zookeeper;

import java.util.Locale;

/**
 * What a ZooKeeper server says it is, from its {@code srvr} answer; DOWN when it does not answer.
 */
public enum PeerMode {
  LEADER,
  FOLLOWER,
  OBSERVER,
  STANDALONE,
  /** Up, but not serving: no quorum ("This ZooKeeper instance is not currently serving"). */
  NOT_SERVING,
  DOWN;

  public boolean serving() {
    return this == LEADER || this == FOLLOWER || this == OBSERVER || this == STANDALONE;
  }

  static PeerMode parse(String srvrOutput) {
    for (String line : srvrOutput.split("\n")) {
      if (line.startsWith("Mode:")) {
        return valueOf(line.substring("Mode:".length()).trim().toUpperCase(Locale.ROOT));
      }
    }
    return NOT_SERVING;
  }
}
