package dev.faultline.shard;

import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.shard.topology.TopologyWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a service its {@link ShardClient}: the topology read (or seeded from {@code
 * faultline.shards.nodes}) and watched in ZooKeeper, every shard migrated before the service takes
 * traffic.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.cloud.zookeeper.ZookeeperAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"
    })
@EnableConfigurationProperties(ShardsProperties.class)
public class ShardClientAutoConfiguration {

  @Bean
  TopologyStore topologyStore(CuratorFramework zk, JsonMapper json, ShardsProperties properties) {
    return new TopologyStore(zk, json, properties.zkRoot());
  }

  @Bean(destroyMethod = "close")
  TopologyWatcher topologyWatcher(
      TopologyStore store, CuratorFramework zk, ShardsProperties properties) throws Exception {
    var stored = store.read();
    Topology topology =
        stored.isPresent()
            ? stored.get().topology()
            : store.seedIfAbsent(seed(properties)).topology();
    return TopologyWatcher.start(store, zk, topology);
  }

  @Bean(destroyMethod = "close")
  ShardClient shardClient(
      ShardsProperties properties,
      TopologyWatcher topology,
      MeterRegistry meters,
      Environment environment,
      ObjectProvider<ShardMigration> libraryMigrations) {
    return new ShardClient(
            properties,
            environment.getProperty("spring.application.name", "faultline"),
            topology,
            meters,
            libraryMigrations.orderedStream().toList())
        .start();
  }

  /** The first topology, from configuration: replicas start in sync (the suite makes them so). */
  static Topology seed(ShardsProperties properties) {
    if (properties.nodes().isEmpty()) {
      throw new IllegalStateException(
          "no topology in ZooKeeper and no shards configured (faultline.shards.nodes)");
    }
    return Topology.initial(
        properties.nodes().stream()
            .map(
                s ->
                    new ShardInfo(
                        s.id(),
                        s.primary(),
                        s.replica() == null ? List.of() : List.of(s.replica()),
                        s.replica() == null ? ShardState.DEGRADED : ShardState.SYNC))
            .toList());
  }
}
