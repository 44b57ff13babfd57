package dev.faultline.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Servers shared by every test class of one JVM (one Maven module's test run): started on first
 * use, stopped when the JVM exits. Starting ZooKeeper or PostgreSQL costs seconds; sharing them is
 * what keeps a module's integration tests fast. Static access is for Spring's
 * {@code @DynamicPropertySource}, which runs before any extension could inject a parameter.
 */
public final class SharedInfrastructure {
  private static final Map<Integer, ZooKeeperCluster> ZOOKEEPERS = new ConcurrentHashMap<>();
  private static final Map<Boolean, PostgresShard> SHARDS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ZOOKEEPERS.values().forEach(ZooKeeperCluster::close);
                  SHARDS.values().forEach(PostgresShard::close);
                },
                "shared-infrastructure-stop"));
  }

  private SharedInfrastructure() {}

  public static ZooKeeperCluster zooKeeper(int servers) {
    return ZOOKEEPERS.computeIfAbsent(servers, ZooKeeperCluster::start);
  }

  public static PostgresShard postgres(boolean withReplica) {
    return SHARDS.computeIfAbsent(withReplica, PostgresShard::start);
  }
}
