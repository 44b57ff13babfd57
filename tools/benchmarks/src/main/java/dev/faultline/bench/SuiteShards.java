package dev.faultline.bench;

import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardsProperties;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.shard.topology.TopologyWatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running suite's shards as a service sees them: a ZooKeeper session on the suite's ensemble,
 * the topology watched under the services' root, and shard clients over it, closed together. The
 * harnesses go through the same {@link ShardClient} (write fence, routing, failover waits) as the
 * services, so what they measure is what a service pays.
 */
public final class SuiteShards implements AutoCloseable {
  /** The topology root every service is configured with. */
  public static final String ROOT = "/faultline/shards";

  private final CuratorFramework zk;
  private final TopologyWatcher topology;
  private final PostgresCredentials credentials;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<ShardClient> clients = new ArrayList<>();

  SuiteShards(String zooKeeper, PostgresCredentials credentials) throws Exception {
    this.credentials = credentials;
    zk = CuratorFrameworkFactory.newClient(zooKeeper, new ExponentialBackoffRetry(200, 5));
    zk.start();
    try {
      if (!zk.blockUntilConnected(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("ZooKeeper at " + zooKeeper + " does not answer");
      }
      TopologyStore store = new TopologyStore(zk, JsonMapper.builder().build(), ROOT);
      var stored =
          store.read().orElseThrow(() -> new IllegalStateException("no topology in ZooKeeper"));
      topology = TopologyWatcher.start(store, zk, stored.topology());
    } catch (Exception | Error e) {
      zk.close();
      throw e;
    }
  }

  public TopologyWatcher topology() {
    return topology;
  }

  /**
   * A shard client on {@code schema} with a pool of {@code connections} per node, not started: the
   * services migrated the schemas, and a caller that reads replicas starts it itself.
   */
  public ShardClient client(String schema, String name, int connections) {
    ShardsProperties properties =
        new ShardsProperties(
            List.of(),
            ROOT,
            schema,
            PostgresCredentials.DATABASE,
            PostgresCredentials.APP_USER,
            credentials.appPassword(),
            connections,
            Duration.ofSeconds(2),
            true,
            Duration.ofSeconds(2));
    ShardClient client = new ShardClient(properties, name, topology, meters);
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(ShardClient::close);
    topology.close();
    zk.close();
  }
}
