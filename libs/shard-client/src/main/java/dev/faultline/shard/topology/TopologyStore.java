package dev.faultline.shard.topology;

import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology in ZooKeeper, one JSON node at {@code <root>/topology}. Reads return the node's
 * version with the topology; {@link #compareAndSet} writes only over that exact version and only an
 * epoch one higher, so two writers can never both win and the epoch never repeats.
 */
public final class TopologyStore {
  private final CuratorFramework zk;
  private final JsonMapper json;
  private final String path;

  public TopologyStore(CuratorFramework zk, JsonMapper json, String root) {
    this.zk = zk;
    this.json = json;
    this.path = root + "/topology";
  }

  /** A topology with the ZooKeeper version it was read at, the key to a compare-and-set. */
  public record Versioned(Topology topology, int version) {}

  public String path() {
    return path;
  }

  public Optional<Versioned> read() throws Exception {
    Stat stat = new Stat();
    try {
      byte[] data = zk.getData().storingStatIn(stat).forPath(path);
      return Optional.of(new Versioned(decode(data), stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  public Topology decode(byte[] data) {
    return json.readValue(data, Topology.class);
  }

  /**
   * Creates the topology if there is none yet; either way returns what is stored. Every process may
   * try (each from its own configuration); the first create wins and the rest read it.
   */
  public Versioned seedIfAbsent(Topology initial) throws Exception {
    Optional<Versioned> existing = read();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      zk.create().creatingParentContainersIfNeeded().forPath(path, json.writeValueAsBytes(initial));
    } catch (KeeperException.NodeExistsException raced) {
      // Another process seeded it first: theirs is the truth.
    }
    return read().orElseThrow();
  }

  /**
   * Installs {@code next} if the stored topology is still at {@code expected.version()}, in one
   * ZooKeeper transaction with {@code guards} (for example a check that the caller's leader node
   * still exists, which fences a deposed leader). Returns the new version, or empty when someone
   * else changed the topology first (or a guard failed): re-read and decide again.
   */
  public Optional<Versioned> compareAndSet(
      Versioned expected, Topology next, List<CuratorOp> guards) throws Exception {
    if (next.epoch() != expected.topology().epoch() + 1) {
      throw new IllegalArgumentException(
          "a change must bump the epoch by one: "
              + expected.topology().epoch()
              + " -> "
              + next.epoch());
    }
    CuratorOp set =
        zk.transactionOp()
            .setData()
            .withVersion(expected.version())
            .forPath(path, json.writeValueAsBytes(next));
    List<CuratorOp> ops = new java.util.ArrayList<>(guards);
    ops.add(set);
    try {
      var results = zk.transaction().forOperations(ops);
      Stat stat = results.getLast().getResultStat();
      return Optional.of(new Versioned(next, stat.getVersion()));
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  /** A guard for {@link #compareAndSet}: the node at {@code path} must exist. */
  public CuratorOp requireExists(String guardPath) throws Exception {
    return zk.transactionOp().check().forPath(guardPath);
  }
}
