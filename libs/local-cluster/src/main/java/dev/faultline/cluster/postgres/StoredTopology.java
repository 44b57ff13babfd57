package dev.faultline.cluster.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shard topology as the router last stored it in ZooKeeper: which node is whose primary now.
 * Read before a PostgreSQL node starts ({@code bin/suite}, a container's entrypoint), so that a
 * node that was deposed while it was down comes back as a replica of its successor, never as a
 * second primary.
 */
public record StoredTopology(long epoch, List<Shard> shards) {
  public static final String PATH = "/faultline/shards/topology";

  public record Shard(int id, NodeAddress primary, List<NodeAddress> replicas) {
    public boolean lists(NodeAddress node) {
      return primary.equals(node) || replicas.contains(node);
    }
  }

  /** Empty when ZooKeeper holds no topology yet (the first start of a suite). */
  public static Optional<StoredTopology> read(String connectString) throws IOException {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            connectString,
            10_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    try {
      if (!connected.await(15, TimeUnit.SECONDS)) {
        throw new IOException("cannot reach ZooKeeper at " + connectString);
      }
      byte[] data = zk.getData(PATH, false, null);
      return Optional.of(parse(data));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (KeeperException e) {
      throw new IOException("cannot read the topology: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      try {
        zk.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static StoredTopology parse(byte[] data) {
    JsonNode root = JsonMapper.builder().build().readTree(data);
    List<Shard> shards = new ArrayList<>();
    for (JsonNode shard : root.get("shards")) {
      List<NodeAddress> replicas = new ArrayList<>();
      shard.get("replicas").forEach(r -> replicas.add(NodeAddress.parse(r.asString())));
      shards.add(
          new Shard(
              shard.get("id").asInt(),
              NodeAddress.parse(shard.get("primary").asString()),
              List.copyOf(replicas)));
    }
    return new StoredTopology(root.get("epoch").asLong(), List.copyOf(shards));
  }

  /** The current primary of the shard that lists {@code node}, if a shard does. */
  public Optional<NodeAddress> primaryOfShardWith(NodeAddress node) {
    return shards.stream().filter(s -> s.lists(node)).findFirst().map(Shard::primary);
  }
}
