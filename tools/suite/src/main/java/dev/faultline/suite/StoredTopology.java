package dev.faultline.suite;

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
 * The suite reads it before starting a PostgreSQL node, so that a node that was deposed while it
 * was down comes back as a replica of its successor, never as a second primary.
 */
record StoredTopology(long epoch, List<Shard> shards) {
  static final String PATH = "/faultline/shards/topology";

  record Shard(int id, String primary, List<String> replicas) {}

  /** Empty when ZooKeeper holds no topology yet (the first {@code up}). */
  static Optional<StoredTopology> read(String connectString) throws IOException {
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

  static StoredTopology parse(byte[] data) {
    JsonNode root = JsonMapper.builder().build().readTree(data);
    List<Shard> shards = new ArrayList<>();
    for (JsonNode shard : root.get("shards")) {
      List<String> replicas = new ArrayList<>();
      shard.get("replicas").forEach(r -> replicas.add(r.asString()));
      shards.add(new Shard(shard.get("id").asInt(), shard.get("primary").asString(), replicas));
    }
    return new StoredTopology(root.get("epoch").asLong(), List.copyOf(shards));
  }

  /** The port of the current primary of the shard that lists {@code port} as a node, if any. */
  Optional<Integer> primaryPortOfShardWith(int port) {
    String address = "127.0.0.1:" + port;
    return shards.stream()
        .filter(s -> s.primary().equals(address) || s.replicas().contains(address))
        .findFirst()
        .map(s -> Integer.parseInt(s.primary().substring(s.primary().lastIndexOf(':') + 1)));
  }
}
