package dev.faultline.router.topology;

import dev.faultline.shard.ShardsProperties;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology in ZooKeeper at {@value #PATH}. On first start it is seeded from the configured
 * shards (epoch 1); afterwards ZooKeeper's copy is the truth, whatever the configuration says.
 */
@Repository
public class TopologyStore {
  static final String PATH = "/faultline/shards/topology";

  private final CuratorFramework zk;
  private final JsonMapper json;
  private final ShardsProperties configured;

  TopologyStore(CuratorFramework zk, JsonMapper json, ShardsProperties configured) {
    this.zk = zk;
    this.json = json;
    this.configured = configured;
  }

  public Topology current() throws Exception {
    try {
      return json.readValue(zk.getData().forPath(PATH), Topology.class);
    } catch (KeeperException.NoNodeException e) {
      return seed();
    }
  }

  private Topology seed() throws Exception {
    Topology initial =
        new Topology(
            1,
            configured.nodes().stream()
                .map(
                    s ->
                        new Topology.ShardNodes(
                            s.id(),
                            s.primary(),
                            s.replica() == null ? List.of() : List.of(s.replica())))
                .toList());
    try {
      zk.create().creatingParentsIfNeeded().forPath(PATH, json.writeValueAsBytes(initial));
      return initial;
    } catch (KeeperException.NodeExistsException raced) {
      // Another router seeded it first: theirs is the truth.
      return json.readValue(zk.getData().forPath(PATH), Topology.class);
    }
  }
}
