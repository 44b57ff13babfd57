package dev.faultline.router.resharding;

import dev.faultline.router.failover.Leadership;
import dev.faultline.shard.ShardsProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resharding jobs in ZooKeeper, one node each under {@code <root>/migrations}. Written only by the
 * leader, each write a transaction that also checks the leader's latch node (as topology changes
 * are), and over the version read: a deposed leader's progress never overwrites its successor's.
 */
@Component
public class MigrationStore {
  private final CuratorFramework zk;
  private final JsonMapper json;
  private final Leadership leadership;
  private final String root;

  MigrationStore(
      CuratorFramework zk, JsonMapper json, Leadership leadership, ShardsProperties shards) {
    this.zk = zk;
    this.json = json;
    this.leadership = leadership;
    this.root = shards.zkRoot() + "/migrations";
  }

  /** A job with the node version it was read at. */
  public record Versioned(Migration migration, int version) {}

  public List<Migration> all() throws Exception {
    List<Migration> found = new ArrayList<>();
    List<String> names;
    try {
      names = zk.getChildren().forPath(root);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
    for (String name : names) {
      read(name).ifPresent(v -> found.add(v.migration()));
    }
    found.sort(Comparator.comparing(Migration::started));
    return found;
  }

  public Optional<Versioned> read(String id) throws Exception {
    Stat stat = new Stat();
    try {
      byte[] data = zk.getData().storingStatIn(stat).forPath(root + "/" + id);
      return Optional.of(new Versioned(json.readValue(data, Migration.class), stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  /** Records a new job; false when one of that name exists. */
  public boolean create(Migration migration) throws Exception {
    try {
      zk.create().creatingParentContainersIfNeeded().forPath(root, new byte[0]);
    } catch (KeeperException.NodeExistsException exists) {
      // The parent is there already.
    }
    try {
      zk.transaction()
          .forOperations(
              zk.transactionOp().check().forPath(leadership.guardPath()),
              zk.transactionOp()
                  .create()
                  .forPath(root + "/" + migration.id(), json.writeValueAsBytes(migration)));
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return false;
    }
  }

  /** Replaces {@code expected} with {@code next}; empty when either changed meanwhile. */
  public Optional<Versioned> update(Versioned expected, Migration next) throws Exception {
    try {
      var results =
          zk.transaction()
              .forOperations(
                  zk.transactionOp().check().forPath(leadership.guardPath()),
                  zk.transactionOp()
                      .setData()
                      .withVersion(expected.version())
                      .forPath(root + "/" + next.id(), json.writeValueAsBytes(next)));
      return Optional.of(new Versioned(next, results.getLast().getResultStat().getVersion()));
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }
}
