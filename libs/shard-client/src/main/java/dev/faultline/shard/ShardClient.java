package dev.faultline.shard;

import dev.faultline.ring.Route;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyWatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * The data tier inside a service: routes a key through the ring to its shard, writes on the shard's
 * primary inside a fenced transaction, reads from the primary or, when the caller allows staleness,
 * from a replica within the lag bound. Follows the topology as it changes.
 *
 * <p>Every write transaction starts with the {@link WriteFence} check, so a writer whose topology
 * is older than the node's epoch, or a node that has been deposed, never commits. A node that was
 * deposed without being told (it was unreachable during the failover) cannot acknowledge either:
 * its commits wait for a synchronous standby that has since been promoted.
 */
public final class ShardClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardClient.class);
  private static final String META_SCHEMA = "shard_meta";

  /** Work on one shard with a {@link JdbcClient} bound to the transaction's connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(JdbcClient db);
  }

  private final ShardsProperties properties;
  private final TopologyWatcher topology;
  private final NodePools pools;
  private final ReplicaLagMonitor lag;
  private final MeterRegistry meters;
  private final Map<String, Counter> queries = new ConcurrentHashMap<>();

  /** Slots per range of {@code shard.slot.queries}: 64 ranges of the default 16,384 slots. */
  static final int SLOT_RANGE = 256;

  private final Map<String, Counter> slotQueries = new ConcurrentHashMap<>();
  private final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();
  private final List<ShardMigration> libraryMigrations;
  private final Set<Integer> migrated = ConcurrentHashMap.newKeySet();
  private volatile boolean started;

  public ShardClient(
      ShardsProperties properties,
      String applicationName,
      TopologyWatcher topology,
      MeterRegistry meters) {
    this(properties, applicationName, topology, meters, List.of());
  }

  /**
   * With migrations that libraries bring into the service's schema (see {@link ShardMigration}).
   */
  public ShardClient(
      ShardsProperties properties,
      String applicationName,
      TopologyWatcher topology,
      MeterRegistry meters,
      List<ShardMigration> libraryMigrations) {
    this.libraryMigrations = List.copyOf(libraryMigrations);
    this.properties = properties;
    this.topology = topology;
    this.meters = meters;
    this.pools = new NodePools(properties, applicationName);
    this.lag = new ReplicaLagMonitor(topology, pools, meters);
    topology.onChange(view -> pools.retain(nodesOf(view.topology())));
    topology.onChange(this::migrateNewShards);
  }

  /** Migrates every shard primary and starts measuring replica lag; call once before serving. */
  public ShardClient start() {
    migrate();
    started = true;
    migrateNewShards(topology.view());
    lag.start();
    return this;
  }

  public TopologyWatcher.View view() {
    return topology.view();
  }

  public Route route(String key) {
    return topology.view().ring().route(key);
  }

  public int shardOf(String key) {
    return topology.view().ring().shardOf(key);
  }

  /**
   * The shard that owns a hash slot now. For IDs that carry their owner's slot (an order ID carries
   * its customer's), so they route without a lookup and follow the slot when it moves.
   */
  public int shardOfSlot(int slot) {
    return topology.view().ring().shardOfSlot(slot);
  }

  /**
   * Whether {@code slot} is one of the ring's: a slot read out of a client's ID (an order's, a
   * payment's) may be anything its format allows, and names nothing when it is not.
   */
  public boolean hasSlot(int slot) {
    return slot >= 0 && slot < slots();
  }

  /** The number of hash slots of the ring (fixed for the life of the topology). */
  public int slots() {
    return topology.view().ring().slots();
  }

  /**
   * Writes in one transaction on the shard that owns {@code key}'s slot (see {@link #writeSlot}).
   */
  public <T> T write(String key, Work<T> work) {
    return writeSlot(route(key).slot(), work);
  }

  /**
   * Runs {@code work} in one transaction on the primary of the shard that owns {@code slot}, behind
   * the write fence and the slot's own fence; rows it inserts carry {@code slot}. Everything one
   * such transaction writes belongs to that slot, so it moves with the slot when shards are added
   * or removed. While the slot's cutover is under way the write waits for it (well under a second);
   * refused by a node the slot just left, it follows the re-read topology to the new owner.
   */
  public <T> T writeSlot(int slot, Work<T> work) {
    requireSlot(slot);
    countSlot(slot, "write");
    ShardRefusedException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      TopologyWatcher.View view = attempt == 0 ? topology.view() : topology.refresh();
      view = awaitThawed(view, slot);
      int shard = view.ring().shardOfSlot(slot);
      try {
        return writeOnce(shard, slot, work, view);
      } catch (ShardRefusedException.StaleTopology | ShardRefusedException.SlotMoving refused) {
        // Nothing was written (the fences are the first statement): follow the topology.
        log.info("{}; re-reading the topology", refused.getMessage());
        last = refused;
      }
    }
    throw last;
  }

  /** The view once {@code slot} is not frozen, or a refusal after {@code cutoverWait}. */
  private TopologyWatcher.View awaitThawed(TopologyWatcher.View view, int slot) {
    if (!view.topology().isFrozen(slot)) {
      return view;
    }
    long deadline = System.nanoTime() + properties.cutoverWait().toNanos();
    try {
      while (view.topology().isFrozen(slot)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ShardRefusedException.SlotMoving(
              view.ring().shardOfSlot(slot),
              slot,
              "its cutover took longer than " + properties.cutoverWait());
        }
        view = topology.awaitNewerThan(view.epoch(), java.time.Duration.ofNanos(left));
      }
      return view;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardRefusedException.SlotMoving(
          view.ring().shardOfSlot(slot), slot, "interrupted while its cutover ran");
    }
  }

  private void requireSlot(int slot) {
    if (!hasSlot(slot)) {
      throw new IllegalArgumentException("slot " + slot + " is not on the ring");
    }
  }

  /**
   * Runs {@code work} in one transaction on the shard's primary, behind the write fence. A write
   * refused as stale is retried once on a re-read topology (nothing was written: the fence check is
   * the first statement).
   */
  public <T> T write(int shard, Work<T> work) {
    try {
      return writeOnce(shard, work, topology.view());
    } catch (ShardRefusedException.StaleTopology stale) {
      TopologyWatcher.View fresh = topology.refresh();
      log.info("{}; retrying at epoch {}", stale.getMessage(), fresh.epoch());
      return writeOnce(shard, work, fresh);
    }
  }

  private <T> T writeOnce(int shard, Work<T> work, TopologyWatcher.View view) {
    return writeOnce(shard, -1, work, view);
  }

  private <T> T writeOnce(int shard, int slot, Work<T> work, TopologyWatcher.View view) {
    ShardInfo info = shardInfo(view.topology(), shard);
    if (!info.state().writable()) {
      throw new ShardRefusedException.Unavailable(shard, info.state(), view.epoch());
    }
    String node = info.primary();
    try (Connection c = pools.node(node).getConnection()) {
      c.setAutoCommit(false);
      try {
        WriteFence.check(c, shard, view.epoch(), node, slot);
        T result = work.apply(JdbcClient.create(new SingleConnectionDataSource(c, true)));
        c.clearWarnings();
        c.commit();
        requireAcknowledged(shard, c.getWarnings());
        count(shard, "primary");
        return result;
      } catch (RuntimeException | SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw translate("write on shard " + shard + " at " + node, e);
    }
  }

  /** Reads from the shard that owns {@code key}'s slot (see {@link #readSlot}). */
  public <T> T read(String key, Freshness freshness, Work<T> work) {
    return readSlot(route(key).slot(), freshness, work);
  }

  /**
   * Reads a slot's data on the shard that owns it. A node the slot has moved away from refuses (its
   * copy is about to be deleted): the read follows the re-read topology to the new owner, so no key
   * is ever read from two owners.
   */
  public <T> T readSlot(int slot, Freshness freshness, Work<T> work) {
    requireSlot(slot);
    countSlot(slot, "read");
    for (int attempt = 0; ; attempt++) {
      TopologyWatcher.View view = attempt == 0 ? topology.view() : topology.refresh();
      int shard = view.ring().shardOfSlot(slot);
      var outcome = readOnce(shard, slot, freshness, work);
      if (outcome.isPresent()) {
        return outcome.get().value();
      }
      if (attempt == 2) {
        throw new ShardRefusedException.SlotMoving(
            shard, slot, "the topology read again still names a node it has left");
      }
      awaitThawed(topology.view(), slot);
    }
  }

  private record Answer<T>(T value) {}

  /**
   * Reads on one shard: {@link Freshness#LATEST} on the primary; bounded staleness on a replica
   * whose measured lag is within the bound, else on the primary. Read-only transaction either way.
   */
  public <T> T read(int shard, Freshness freshness, Work<T> work) {
    return readOnce(shard, -1, freshness, work).orElseThrow().value();
  }

  /** The read, or empty when {@code slot} ({@code >= 0}) has left the node read. */
  private <T> java.util.Optional<Answer<T>> readOnce(
      int shard, int slot, Freshness freshness, Work<T> work) {
    ShardInfo info = shardInfo(topology.view().topology(), shard);
    String node = info.primary();
    String role = "primary";
    if (freshness instanceof Freshness.BoundedStaleness(var maxLag)) {
      double bound = Math.min(maxLag.toNanos(), properties.maxReplicaLag().toNanos()) / 1e9;
      var replica = lag.replicaWithin(shard, bound);
      if (replica.isPresent()) {
        node = replica.get();
        role = "replica";
      }
    }
    try (Connection c = pools.node(node).getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        if (slot >= 0 && WriteFence.slotGone(c, slot)) {
          c.commit();
          return java.util.Optional.empty();
        }
        T result = work.apply(JdbcClient.create(new SingleConnectionDataSource(c, true)));
        c.commit();
        count(shard, role);
        return java.util.Optional.of(new Answer<>(result));
      } catch (RuntimeException | SQLException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        c.setReadOnly(false);
      }
    } catch (SQLException e) {
      throw translate("read on shard " + shard + " at " + node, e);
    }
  }

  /** The same read on every shard (a scatter), by shard id. */
  public <T> Map<Integer, T> readEveryShard(Freshness freshness, Work<T> work) {
    Map<Integer, T> results = new TreeMap<>();
    for (ShardInfo shard : topology.view().topology().shards()) {
      results.put(shard.id(), read(shard.id(), freshness, work));
    }
    return results;
  }

  /** A pool on a node, for work outside the routed paths (the router's fence changes, tests). */
  public DataSource node(String address) {
    return pools.node(address);
  }

  /**
   * Runs the shard metadata migrations and then this service's ({@code classpath:db/migration}, in
   * its own schema) on every shard primary, and writes each primary's fence row if missing.
   */
  void migrate() {
    Topology current = topology.topology();
    for (ShardInfo shard : current.shards()) {
      try {
        migrate(shard, current);
      } catch (RuntimeException e) {
        if (properties.requireAllShardsAtStart()) {
          throw e;
        }
        log.warn("shard {} not migrated at start: {}", shard.id(), e.toString());
      }
    }
    migrated.addAll(current.shards().stream().map(ShardInfo::id).toList());
  }

  /**
   * A shard registered while this service runs (resharding adds one) gets this service's schema
   * before any slot moves to it: the mover waits for every service's tables on the target.
   */
  private void migrateNewShards(TopologyWatcher.View view) {
    if (!started) {
      return;
    }
    // A removed shard's id may come back with new nodes: forget it when it leaves.
    migrated.retainAll(view.topology().shards().stream().map(ShardInfo::id).toList());
    for (ShardInfo shard : view.topology().shards()) {
      if (migrated.add(shard.id())) {
        Thread.ofVirtual()
            .name("migrate-shard-" + shard.id())
            .start(
                () -> {
                  for (int attempt = 1; attempt <= 30; attempt++) {
                    try {
                      migrate(shard, view.topology());
                      log.info("migrated new shard {}", shard.id());
                      return;
                    } catch (RuntimeException e) {
                      log.warn("new shard {} not migrated yet: {}", shard.id(), e.toString());
                      try {
                        Thread.sleep(1000);
                      } catch (InterruptedException interrupted) {
                        return;
                      }
                    }
                  }
                  migrated.remove(shard.id());
                });
      }
    }
  }

  private void migrate(ShardInfo shard, Topology current) {
    int slots = current.ring().slots();
    DataSource primary = pools.node(shard.primary());
    {
      {
        migrate(primary, META_SCHEMA, "classpath:dev/faultline/shard/migration", slots);
        if (properties.schema() != null) {
          for (ShardMigration library : libraryMigrations) {
            migrate(
                primary, properties.schema(), library.location(), library.historyTable(), slots);
          }
          migrate(primary, properties.schema(), "classpath:db/migration", slots);
        }
        try (Connection c = primary.getConnection()) {
          WriteFence.initialise(c, shard.id(), current.epoch());
        } catch (SQLException e) {
          throw translate("fence of shard " + shard.id(), e);
        }
      }
    }
  }

  private static void migrate(DataSource primary, String schema, String location, int slots) {
    migrate(primary, schema, location, "flyway_schema_history", slots);
  }

  private static void migrate(
      DataSource primary, String schema, String location, String historyTable, int slots) {
    // Services migrate the shared metadata schema concurrently at start; Flyway serialises them
    // with an advisory lock, but creating the schema itself can race, so try again once.
    for (int attempt = 1; ; attempt++) {
      try {
        Flyway.configure()
            .dataSource(primary)
            .schemas(schema)
            .defaultSchema(schema)
            .locations(location)
            .table(historyTable)
            // Several migration sets share a schema, each with its own history: the second one
            // finds the schema non-empty. A baseline at 0 lets every set apply from its V1.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            // Java migrations that compute a row's slot need the ring's size.
            .placeholders(Map.of("faultline_slots", Integer.toString(slots)))
            .load()
            .migrate();
        return;
      } catch (RuntimeException e) {
        if (attempt == 3) {
          throw e;
        }
        log.warn(
            "migration of {} failed (attempt {}), retrying: {}", schema, attempt, e.toString());
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static ShardInfo shardInfo(Topology topology, int shard) {
    return topology
        .shard(shard)
        .orElseThrow(() -> new IllegalArgumentException("no shard " + shard + " in the topology"));
  }

  /**
   * PostgreSQL reports a commit whose synchronous-replication wait was cancelled with a warning,
   * not an error, and the transaction is then committed locally only. Never call that success.
   */
  private static void requireAcknowledged(int shard, SQLWarning warning) {
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      String message = String.valueOf(w.getMessage());
      if (message.contains("synchronous replication")) {
        throw new UnacknowledgedCommitException(shard, message);
      }
    }
  }

  private void count(int shard, String role) {
    queries
        .computeIfAbsent(
            shard + "/" + role,
            k ->
                Counter.builder("shard.queries")
                    .description("transactions run on a shard, by the role of the node")
                    .tag("shard", Integer.toString(shard))
                    .tag("role", role)
                    .register(meters))
        .increment();
  }

  /**
   * Counts a slot-routed transaction in its range of {@value #SLOT_RANGE} slots: a hot key makes
   * its slot's range stand out on the shards dashboard (one series per slot, 16,384 of them per
   * instance, would be too many to keep), and the range names the slots to move off a hot shard
   * ({@code POST /api/shards/{id}/slots}).
   */
  private void countSlot(int slot, String kind) {
    int first = slot - slot % SLOT_RANGE;
    slotQueries
        .computeIfAbsent(
            first + "/" + kind,
            k ->
                Counter.builder("shard.slot.queries")
                    .description(
                        "slot-routed transactions, by range of " + SLOT_RANGE + " slots and kind")
                    .tag("slots", first + "-" + (first + SLOT_RANGE - 1))
                    .tag("kind", kind)
                    .register(meters))
        .increment();
  }

  private RuntimeException translate(String task, SQLException e) {
    RuntimeException translated = translator.translate(task, null, e);
    return translated != null ? translated : new IllegalStateException(task, e);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the server rolls back.
    }
  }

  private static Set<String> nodesOf(Topology topology) {
    Set<String> nodes = new HashSet<>();
    topology
        .shards()
        .forEach(
            s -> Stream.concat(Stream.of(s.primary()), s.replicas().stream()).forEach(nodes::add));
    return nodes;
  }

  @Override
  public void close() {
    lag.close();
    pools.close();
  }
}
