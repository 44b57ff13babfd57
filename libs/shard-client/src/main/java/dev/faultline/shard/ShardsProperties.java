package dev.faultline.shard;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The data tier as this service sees it ({@code faultline.shards.*}).
 *
 * <ul>
 *   <li>{@code nodes}: the shards to seed the topology with when ZooKeeper has none yet. Once
 *       seeded, ZooKeeper's topology is the truth and this list is not read again.
 *   <li>{@code zk-root}: where the topology lives in ZooKeeper.
 *   <li>{@code schema}: the schema this service owns on every shard (its tables and migration
 *       history), so services share nodes, never tables. Absent: no migrations of its own.
 *   <li>{@code max-replica-lag}: how stale a replica read may be before it goes to the primary.
 *   <li>{@code require-all-shards-at-start}: fail the start when a shard primary cannot be migrated
 *       (services: they would fail later anyway), or only log it (the router, which must start in
 *       order to repair that shard).
 *   <li>{@code cutover-wait}: how long a write to a slot whose cutover is under way waits for it
 *       before it is refused as retryable (a cutover takes well under a second).
 * </ul>
 */
@ConfigurationProperties("faultline.shards")
public record ShardsProperties(
    List<Shard> nodes,
    @DefaultValue("/faultline/shards") String zkRoot,
    @Nullable String schema,
    @DefaultValue("faultline") String database,
    @DefaultValue("faultline") String username,
    @Nullable String password,
    @DefaultValue("8") int poolSize,
    @DefaultValue("2s") Duration maxReplicaLag,
    @DefaultValue("true") boolean requireAllShardsAtStart,
    @DefaultValue("2s") Duration cutoverWait) {

  public ShardsProperties {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    if (schema != null && !schema.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("faultline.shards.schema must be a plain identifier");
    }
    if (!zkRoot.startsWith("/") || zkRoot.endsWith("/")) {
      throw new IllegalArgumentException("faultline.shards.zk-root must look like /a/b");
    }
  }

  /** One shard: {@code host:port} of its primary and, optionally, of its replica. */
  public record Shard(int id, String primary, @Nullable String replica) {}
}
