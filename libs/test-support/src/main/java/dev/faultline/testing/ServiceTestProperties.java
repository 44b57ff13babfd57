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

  /**
   * The real lock service (started once per JVM), and the service's own signing key for calling it
   * and the other services ({@code faultline.service.signing-key}, as {@code bin/suite} sets it).
   */
  public static void withLockService(BiConsumer<String, Supplier<Object>> registry, String self) {
    SharedInfrastructure.lockService();
    registry.accept("faultline.service.signing-key", () -> TestTokens.serviceSigningKey(self));
  }

  /**
   * The same settings for a service run as its own process ({@link ServiceProcess}): plain ones as
   * {@code --key=value} arguments, secrets (passwords, tokens) by environment, as {@code bin/suite}
   * passes them. {@code self} names the service in its token.
   */
  public static ServiceProcess.Config forProcess(String self, boolean withReplica) {
    java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
    withShard((key, value) -> properties.put(key, value.get()), withReplica);
    properties.put("faultline.service.signing-key", TestTokens.serviceSigningKey(self));
    java.util.List<String> args = new java.util.ArrayList<>();
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.endsWith("password") || key.endsWith("token") || key.endsWith("signing-key")) {
            // Relaxed binding: faultline.router.admin-password <- FAULTLINE_ROUTER_ADMINPASSWORD.
            env.put(
                key.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT),
                "" + value);
          } else {
            args.add("--" + key + "=" + value);
          }
        });
    return new ServiceProcess.Config(args, env);
  }
}
