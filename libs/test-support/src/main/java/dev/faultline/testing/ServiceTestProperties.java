package dev.faultline.testing;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Points a service under test at the shared real servers, with the same keys {@code bin/suite}
 * passes: pass Spring's {@code DynamicPropertyRegistry::add} from a {@code @DynamicPropertySource}.
 */
public final class ServiceTestProperties {
  private ServiceTestProperties() {}

  /** ZooKeeper (one shared standalone server) and the test token key. */
  public static void zooKeeperAndAuth(BiConsumer<String, Supplier<Object>> registry) {
    registry.accept(
        "spring.cloud.zookeeper.connect-string",
        () -> SharedInfrastructure.zooKeeper(1).connectString());
    registry.accept("faultline.auth.public-key-file", TestTokens::publicKeyFile);
  }

  /** The above, plus one shared shard (primary only, or with its replica) as shard 0. */
  public static void withShard(BiConsumer<String, Supplier<Object>> registry, boolean withReplica) {
    zooKeeperAndAuth(registry);
    PostgresShard shard = SharedInfrastructure.postgres(withReplica);
    registry.accept("faultline.shards.nodes[0].id", () -> 0);
    registry.accept("faultline.shards.nodes[0].primary", () -> address(shard.primary().port()));
    if (withReplica) {
      registry.accept("faultline.shards.nodes[0].replica", () -> address(shard.replica().port()));
    }
    registry.accept("faultline.shards.password", shard::appPassword);
    registry.accept(
        "faultline.router.admin-password", () -> shard.credentials().superuserPassword());
    // The topology of this shard, apart from any other test's shards in the shared ZooKeeper.
    registry.accept(
        "faultline.shards.zk-root",
        () -> "/faultline/test-pg-" + shard.primary().port() + "/shards");
  }

  private static String address(int port) {
    return "127.0.0.1:" + port;
  }
}
