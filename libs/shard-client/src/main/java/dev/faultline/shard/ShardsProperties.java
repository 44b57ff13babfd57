package dev.faultline.shard;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shards this service stores its data on ({@code faultline.shards.*}): each with its primary
 * and replica addresses, plus the database and application role every node shares. Each service
 * owns one {@code schema} on every shard (its tables and its migration history), so services share
 * nodes, never tables.
 */
@ConfigurationProperties("faultline.shards")
public record ShardsProperties(
    List<Shard> nodes,
    String schema,
    @DefaultValue("faultline") String database,
    @DefaultValue("faultline") String username,
    String password,
    @DefaultValue("8") int poolSize) {

  public ShardsProperties {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    if (schema != null && !schema.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("faultline.shards.schema must be a plain identifier");
    }
  }

  /** One shard: {@code host:port} of its primary and, optionally, of its replica. */
  public record Shard(int id, String primary, String replica) {}
}
