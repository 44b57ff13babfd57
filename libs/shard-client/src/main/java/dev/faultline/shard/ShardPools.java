package dev.faultline.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A connection pool per shard primary, and the shard's schema kept current by Flyway. One pool per
 * node (not one per service) is what lets a failover swap a single node's pool.
 */
public final class ShardPools implements AutoCloseable {
  private final Map<Integer, HikariDataSource> primaries = new TreeMap<>();

  private final ShardsProperties properties;

  public ShardPools(ShardsProperties properties, String applicationName) {
    this.properties = properties;
    if (properties.nodes().isEmpty()) {
      throw new IllegalStateException("no shards configured (faultline.shards.nodes)");
    }
    for (ShardsProperties.Shard shard : properties.nodes()) {
      primaries.put(shard.id(), pool(properties, shard, applicationName));
    }
  }

  private static HikariDataSource pool(
      ShardsProperties properties, ShardsProperties.Shard shard, String applicationName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("shard-" + shard.id() + "-primary");
    config.setJdbcUrl(
        "jdbc:postgresql://"
            + shard.primary()
            + "/"
            + properties.database()
            + "?ApplicationName="
            + applicationName
            // Fail fast when a node is gone; a hung connect would pin request threads.
            + "&connectTimeout=2&socketTimeout=30&tcpKeepAlive=true"
            + (properties.schema() == null ? "" : "&currentSchema=" + properties.schema()));
    config.setUsername(properties.username());
    config.setPassword(properties.password());
    config.setMaximumPoolSize(properties.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(3_000);
    // Do not fail the start when a node is down: the pool connects once it is back.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  public List<Integer> shardIds() {
    return List.copyOf(primaries.keySet());
  }

  public JdbcClient primary(int shardId) {
    return JdbcClient.create(dataSource(shardId));
  }

  public DataSource dataSource(int shardId) {
    HikariDataSource source = primaries.get(shardId);
    if (source == null) {
      throw new IllegalArgumentException("no shard " + shardId);
    }
    return source;
  }

  /**
   * Runs the service's migrations ({@code classpath:db/migration}) on every shard primary, in the
   * service's own schema (created on first run) with its own history table.
   */
  public void migrate() {
    if (properties.schema() == null) {
      throw new IllegalStateException("faultline.shards.schema is required to run migrations");
    }
    for (var entry : primaries.entrySet()) {
      Flyway.configure()
          .dataSource(entry.getValue())
          .schemas(properties.schema())
          .defaultSchema(properties.schema())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    }
  }

  public <T> Map<Integer, T> onEveryShard(Function<JdbcClient, T> work) {
    Map<Integer, T> results = new TreeMap<>();
    for (int id : primaries.keySet()) {
      results.put(id, work.apply(primary(id)));
    }
    return results;
  }

  @Override
  public void close() {
    primaries.values().forEach(HikariDataSource::close);
  }
}
