package dev.faultline.router;

import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardsProperties;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.shard.topology.TopologyWatcher;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dedicated shards for tests that kill, promote and rejoin nodes (never the shared ones), the
 * router's properties for them, and shard clients that play a service writing through them.
 */
final class ShardFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  final List<PostgresShard> shards = new ArrayList<>();
  final String zkRoot = "/faultline/it-" + UUID.randomUUID() + "/shards";

  /** The metrics of the clients made by {@link #client}. */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final int count;
  private final int seeded;

  /** {@code count} shards, started before the class's tests and stopped after them. */
  ShardFixture(int count) {
    this(count, count);
  }

  /**
   * {@code count} shards of which only the first {@code seeded} are in the topology at first: the
   * others wait to be registered (resharding).
   */
  ShardFixture(int count, int seeded) {
    this.count = count;
    this.seeded = seeded;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    PostgresCredentials credentials = PostgresCredentials.random();
    for (int i = 0; i < count; i++) {
      shards.add(PostgresShard.start(true, credentials));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  PostgresShard shard(int id) {
    return shards.get(id);
  }

  static String address(int port) {
    return "127.0.0.1:" + port;
  }

  /** Router (and client) properties pointing at these shards. */
  void register(BiConsumer<String, Supplier<Object>> registry) {
    registry.accept(
        "spring.cloud.zookeeper.connect-string",
        () -> SharedInfrastructure.zooKeeper(1).connectString());
    registry.accept(
        "faultline.auth.public-key-file", dev.faultline.testing.TestTokens::publicKeyFile);
    registry.accept("faultline.shards.zk-root", () -> zkRoot);
    for (int i = 0; i < seeded; i++) {
      PostgresShard shard = shards.get(i);
      registry.accept("faultline.shards.nodes[" + i + "].id", () -> shardId(shard));
      registry.accept(
          "faultline.shards.nodes[" + i + "].primary", () -> address(shard.primary().port()));
      registry.accept(
          "faultline.shards.nodes[" + i + "].replica", () -> address(shard.replica().port()));
    }
    registry.accept("faultline.shards.password", () -> shards.getFirst().appPassword());
    registry.accept(
        "faultline.router.admin-password",
        () -> shards.getFirst().credentials().superuserPassword());
    registry.accept("faultline.router.probe-interval", () -> "200ms");
    registry.accept("faultline.router.failover-after", () -> "1s");
    registry.accept("faultline.router.replica-loss-after", () -> "1500ms");
  }

  private int shardId(PostgresShard shard) {
    return shards.indexOf(shard);
  }

  ShardsProperties clientProperties() {
    return new ShardsProperties(
        List.of(),
        zkRoot,
        "items",
        "faultline",
        "faultline",
        shards.getFirst().appPassword(),
        4,
        Duration.ofSeconds(5),
        true,
        Duration.ofSeconds(2));
  }

  /** A service's shard client that follows the topology in ZooKeeper. */
  ShardClient client(CuratorFramework zk) throws Exception {
    TopologyStore store = new TopologyStore(zk, JsonMapper.builder().build(), zkRoot);
    TopologyWatcher watcher =
        TopologyWatcher.start(store, zk, store.read().orElseThrow().topology());
    ShardClient client = new ShardClient(clientProperties(), "it-service", watcher, meters).start();
    closeables.add(client);
    closeables.add(watcher);
    return client;
  }

  /** A client frozen at {@code topology}: one that missed every change since. */
  ShardClient staleClient(Topology topology) {
    ShardClient client =
        new ShardClient(
            clientProperties(),
            "it-stale",
            TopologyWatcher.fixed(topology),
            new SimpleMeterRegistry());
    closeables.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    shards.forEach(PostgresShard::close);
  }
}
