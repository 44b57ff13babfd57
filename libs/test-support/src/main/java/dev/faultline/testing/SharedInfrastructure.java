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
  private static final Map<String, ServiceProcess> SERVICES = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  SERVICES.values().forEach(ServiceProcess::close);
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

  /**
   * The real lock service, one process registered in the shared standalone ZooKeeper, trusting
   * {@link TestTokens}: services under test find it through discovery, as in the suite.
   */
  public static ServiceProcess lockService() {
    return SERVICES.computeIfAbsent(
        "lock-service",
        module ->
            ServiceProcess.start(
                module,
                java.util.List.of(
                    "--spring.cloud.zookeeper.connect-string=" + zooKeeper(1).connectString(),
                    "--faultline.auth.public-key-file=" + TestTokens.publicKeyFile()),
                Map.of()));
  }

  /**
   * A service of the suite ({@code payment-service}, ...) as one shared process against the shared
   * shard (primary only), ZooKeeper and lock service: what a service under test calls.
   */
  public static ServiceProcess service(String module) {
    lockService();
    return SERVICES.computeIfAbsent(
        module, m -> ServiceProcess.start(m, ServiceTestProperties.forProcess(m, false)));
  }
}
