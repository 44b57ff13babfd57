package dev.faultline.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A connection pool per PostgreSQL node, keyed by {@code host:port} and created on first use. Pools
 * belong to nodes, not to roles: after a failover the promoted replica's pool simply starts taking
 * writes, and pools of nodes that left the topology are closed.
 */
final class NodePools implements AutoCloseable {
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
  private final ShardsProperties properties;
  private final String applicationName;

  NodePools(ShardsProperties properties, String applicationName) {
    this.properties = properties;
    this.applicationName = applicationName;
  }

  DataSource node(String address) {
    return pools.computeIfAbsent(address, this::pool);
  }

  private HikariDataSource pool(String address) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("pg-" + address);
    config.setJdbcUrl(
        "jdbc:postgresql://"
            + address
            + "/"
            + properties.database()
            + "?ApplicationName="
            + applicationName
            // Fail fast when a node is gone: a hung connect would pin request threads. No
            // statement timeout: cancelling a commit's wait for the synchronous standby would
            // turn it into an unreplicated commit (see UnacknowledgedCommitException).
            + "&connectTimeout=2&socketTimeout=30&tcpKeepAlive=true"
            + (properties.schema() == null ? "" : "&currentSchema=" + properties.schema()));
    config.setUsername(properties.username());
    config.setPassword(properties.password());
    config.setMaximumPoolSize(properties.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(2_000);
    // Do not fail when a node is down: the pool connects once it is back.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** Closes the pools of nodes not in {@code live}. */
  void retain(Set<String> live) {
    pools
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  Collection<String> addresses() {
    return pools.keySet();
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
