package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.postgres.PostgresNode;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardRefusedException;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.testing.Http;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data tier under failure, on two real shards (primary + synchronous streaming replica each), a
 * real ZooKeeper and the real router: routing, replica reads, automatic failover under a write load
 * with every acknowledged write counted, the deposed primary refusing writes (told or not), its
 * rejoin with pg_rewind, and the replica-loss policy (degrade). The tests run in order: each starts
 * from the state the previous one left.
 */
@WithZooKeeper
@RouterOverOwnShards
class ShardFailoverIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  @RegisterExtension static final ShardFixture fixture = new ShardFixture(2);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    fixture.register(registry::add);
  }

  @Autowired CuratorFramework zk;
  @Autowired TopologyStore store;
  @Autowired Environment environment;

  private Http http() {
    return Http.localServer(environment);
  }

  private ShardClient client;

  private ShardClient client() throws Exception {
    if (client == null) {
      client = fixture.client(zk);
    }
    return client;
  }

  private static int insert(ShardClient client, String key) {
    return client.write(key, db -> db.sql("insert into items (id) values (?)").param(key).update());
  }

  private static Set<String> itemsOn(PostgresNode node) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = node.appConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("select id from items.items")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private List<String> keysOnShard(int shard, String prefix, int count) throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < count; i++) {
      String key = prefix + i;
      if (client().shardOf(key) == shard) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Waits for a shard state; on timeout fails with the router's view, which says why. */
  private void awaitState(int shard, ShardState state, Duration timeout) throws Exception {
    try {
      await().atMost(timeout).until(() -> topology().shard(shard).orElseThrow().state() == state);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "shard "
              + shard
              + " not "
              + state
              + " after "
              + timeout
              + "; router sees "
              + http().get("/api/shards", TestTokens.admin()).body(),
          e);
    }
  }

  private Topology topology() throws Exception {
    return store.read().orElseThrow().topology();
  }

  /**
   * One scenario, step by step: each step starts from the state the one before it left (a failover
   * cannot be undone, and a fresh pair of shards per step would cost a base backup each), so they
   * run in one test, in this order, and hand each other what they need as values.
   */
  @Test
  void twoShardsThroughFailoverFencingRejoinReplicaLossAndSwitchover() throws Exception {
    writesGoToThePrimaryOfTheShardTheRingNames();
    boundedStalenessReadsAreServedByTheReplica();
    Topology beforeFailover = failoverUnderWriteLoadLosesNoAcknowledgedWrite();
    theOldPrimaryNeverAcknowledgesAWriteAgain(beforeFailover);
    theOldPrimaryRejoinsAsAReplicaAndTheShardIsPromotableAgain();
    losingTheReplicaDegradesTheShardAndForbidsPromotion();
    aManualFailoverSwitchesPrimariesWithoutLosingAWrite();
  }

  private void writesGoToThePrimaryOfTheShardTheRingNames() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add("route-" + i);
      insert(client(), "route-" + i);
    }

    for (int shard = 0; shard < 2; shard++) {
      int id = shard;
      Set<String> expected =
          new HashSet<>(keys.stream().filter(k -> client.shardOf(k) == id).toList());
      Set<String> stored = itemsOn(fixture.shard(shard).primary());
      stored.removeIf(k -> !k.startsWith("route-"));
      assertThat(stored).isEqualTo(expected);
      assertThat(expected).hasSizeBetween(70, 130); // both shards take a fair share
    }
    JsonNode route =
        JSON.readTree(http().get("/api/shards/route?key=route-7", TestTokens.customer("a")).body());
    assertThat(route.get("shard").asInt()).isEqualTo(client.shardOf("route-7"));
  }

  private void boundedStalenessReadsAreServedByTheReplica() throws Exception {
    insert(client(), "replica-read");
    int shard = client.shardOf("replica-read");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.read(
                    "replica-read",
                    Freshness.boundedStaleness(Duration.ofSeconds(5)),
                    db ->
                        db.sql(
                                "select pg_is_in_recovery() and exists (select 1 from items where"
                                    + " id = 'replica-read')")
                            .query(Boolean.class)
                            .single()));
    // Latest always goes to the primary.
    boolean primaryInRecovery =
        client.read(
            "replica-read",
            Freshness.LATEST,
            db -> db.sql("select pg_is_in_recovery()").query(Boolean.class).single());
    assertThat(primaryInRecovery).isFalse();
    var replicaReads =
        fixture
            .meters
            .get("shard.queries")
            .tag("shard", Integer.toString(shard))
            .tag("role", "replica");
    assertThat(replicaReads.counter().count()).isPositive();
    // And by slot range, for the hot-slot panel: the key's range counted its reads.
    int slot = client.route("replica-read").slot();
    int first = slot - slot % 256;
    assertThat(
            fixture
                .meters
                .get("shard.slot.queries")
                .tag("slots", first + "-" + (first + 255))
                .tag("kind", "read")
                .counter()
                .count())
        .isPositive();
    assertThat(fixture.meters.get("shard.replication.lag").tag("shard", "0").gauge().value())
        .isGreaterThanOrEqualTo(0);
    assertThat(shard).isBetween(0, 1);
  }

  private Topology failoverUnderWriteLoadLosesNoAcknowledgedWrite() throws Exception {
    PostgresShard shard = fixture.shard(0);
    String oldPrimary = ShardFixture.address(shard.primary().port());
    String replica = ShardFixture.address(shard.replica().port());
    Topology before = topology();
    List<String> keys = keysOnShard(0, "load-", 20_000);

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicLong failed = new AtomicLong();
    Set<String> afterKill = ConcurrentHashMap.newKeySet();
    AtomicLong lastAck = new AtomicLong(System.nanoTime());
    AtomicLong longestGap = new AtomicLong();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAckAfterKill = new AtomicLong(-1);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.submit(
          () -> {
            for (int i = writer;
                i < keys.size() && !stop.get() && System.nanoTime() < deadline;
                i += 4) {
              String key = keys.get(i);
              long startedAt = System.nanoTime();
              try {
                insert(client, key);
                acknowledged.add(key);
                long now = System.nanoTime();
                longestGap.accumulateAndGet(
                    now - lastAck.getAndAccumulate(now, Math::max), Math::max);
                if (startedAt > killedAt.get()) {
                  afterKill.add(key);
                  firstAckAfterKill.compareAndSet(-1, now);
                }
              } catch (RuntimeException e) {
                failed.incrementAndGet(); // outcome unknown or refused: not acknowledged
                sleep(20);
              }
            }
          });
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 200);
    killedAt.set(System.nanoTime());
    shard.kill(shard.primary());
    int ackedAtKill = acknowledged.size();

    // Writes started after the kill succeed again (measured), and keep succeeding for a while.
    await().atMost(Duration.ofSeconds(20)).until(() -> firstAckAfterKill.get() > 0);
    double recoverySeconds = (firstAckAfterKill.get() - killedAt.get()) / 1e9;
    await().atMost(Duration.ofSeconds(20)).until(() -> afterKill.size() >= 200);
    stop.set(true);
    writers.shutdown();
    assertThat(writers.awaitTermination(40, TimeUnit.SECONDS)).isTrue();

    Topology after = topology();
    ShardInfo info = after.shard(0).orElseThrow();
    assertThat(info.primary()).isEqualTo(replica);
    assertThat(info.replicas()).containsExactly(oldPrimary);
    assertThat(info.state()).isEqualTo(ShardState.DEGRADED); // no replica yet: not promotable
    assertThat(after.epoch()).isGreaterThanOrEqualTo(before.epoch() + 2);

    Set<String> stored = itemsOn(shard.replica());
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(stored);
    System.out.printf(
        "failover: %d writes acknowledged (%d before the kill), %d failed or refused, %d lost;"
            + " writes succeeded again %.2f s after the kill; longest gap between acknowledged"
            + " writes %.2f s%n",
        acknowledged.size(),
        ackedAtKill,
        failed.get(),
        lost.size(),
        recoverySeconds,
        longestGap.get() / 1e9);
    assertThat(lost).as("acknowledged writes missing after the failover").isEmpty();
    assertThat(afterKill).hasSizeGreaterThanOrEqualTo(200);
    assertThat(recoverySeconds).isLessThan(20);
    assertThat(http().get("/actuator/prometheus", TestTokens.admin()).body())
        .containsPattern("(?m)^shard_failovers_total\\{.*\\} 1\\.0$");
    return before;
  }

  private void theOldPrimaryNeverAcknowledgesAWriteAgain(Topology staleTopologyAt)
      throws Exception {
    PostgresShard shard = fixture.shard(0);
    PostgresNode old = shard.primary();
    // It comes back as it was: a primary, with synchronous_standby_names = '*'.
    shard.startNode(old);
    old.awaitUp(Duration.ofSeconds(30));

    // 1. Even a commit that bypasses the fence cannot be acknowledged: the only standby that could
    // confirm it was promoted and no longer follows this node.
    PostgresCredentials credentials = shard.credentials();
    try (Connection raw =
        DriverManager.getConnection(
            old.jdbcUrl() + "?socketTimeout=3",
            PostgresCredentials.APP_USER,
            credentials.appPassword())) {
      raw.setAutoCommit(false);
      try (Statement s = raw.createStatement()) {
        s.executeUpdate("insert into items.items (id, slot) values ('zombie-write', 0)");
      }
      assertThatThrownBy(raw::commit).isInstanceOf(SQLException.class);
    }
    assertThat(itemsOn(shard.replica())).doesNotContain("zombie-write");

    // 2. The router sees a listed replica running as a primary and fences it off.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try (Connection c = old.appConnection();
                  Statement s = c.createStatement();
                  var rs = s.executeQuery("select deposed from shard_meta.fence")) {
                return rs.next() && rs.getBoolean(1);
              }
            });
    // 3. A client that missed the failover writes there: refused, nothing written.
    ShardClient stale = fixture.staleClient(staleTopologyAt);
    String key = keysOnShard(0, "stale-", 1).getFirst();
    assertThatThrownBy(() -> insert(stale, key)).isInstanceOf(ShardRefusedException.Deposed.class);

    // 4. A client with an old epoch that reaches the new primary (an address that moved, say):
    // refused by the epoch fence.
    Topology oldEpochNewPrimary =
        new Topology(
            staleTopologyAt.epoch(),
            staleTopologyAt.ring(),
            topology().shards().stream().map(s -> s.withState(ShardState.SYNC)).toList());
    assertThatThrownBy(() -> insert(fixture.staleClient(oldEpochNewPrimary), key))
        .isInstanceOf(ShardRefusedException.StaleTopology.class);
    assertThat(itemsOn(shard.replica())).doesNotContain(key);
  }

  private void theOldPrimaryRejoinsAsAReplicaAndTheShardIsPromotableAgain() throws Exception {
    PostgresShard shard = fixture.shard(0);
    long epoch = topology().epoch();
    shard.kill(shard.primary());
    shard.rejoin(shard.primary(), shard.replica());

    try {
      awaitState(0, ShardState.SYNC, Duration.ofSeconds(30));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "\nthe rejoined node's log ends:"
              + dev.faultline.cluster.process.LogTail.of(shard.primary().logFile(), 20),
          e);
    }
    assertThat(topology().epoch()).isGreaterThan(epoch);
    // pg_rewind discarded the commit nobody acknowledged.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> itemsOn(shard.primary()).containsAll(itemsOn(shard.replica())));
    assertThat(itemsOn(shard.primary())).doesNotContain("zombie-write");
    insert(client(), keysOnShard(0, "after-rejoin-", 1).getFirst());
  }

  private void losingTheReplicaDegradesTheShardAndForbidsPromotion() throws Exception {
    PostgresShard shard = fixture.shard(1);
    shard.kill(shard.replica());

    awaitState(1, ShardState.DEGRADED, Duration.ofSeconds(15));
    // Writes go on, acknowledged by the primary alone...
    String key = keysOnShard(1, "degraded-", 1).getFirst();
    assertThat(insert(client(), key)).isEqualTo(1);
    // ...and the replica, which lacks them, may not be promoted.
    HttpResponse<String> refused = http().post("/api/shards/1/failover", TestTokens.admin(), "");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(refused.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:not-promotable");

    shard.startNode(shard.replica());
    awaitState(1, ShardState.SYNC, Duration.ofSeconds(30));
    assertThat(itemsOn(shard.replica())).contains(key);
  }

  private void aManualFailoverSwitchesPrimariesWithoutLosingAWrite() throws Exception {
    PostgresShard shard = fixture.shard(1);
    String key = keysOnShard(1, "before-switchover-", 1).getFirst();
    insert(client(), key);

    HttpResponse<String> response = http().post("/api/shards/1/failover", TestTokens.admin(), "");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode view = JSON.readTree(response.body());
    assertThat(view.get("primary").asString())
        .isEqualTo(ShardFixture.address(shard.replica().port()));
    assertThat(itemsOn(shard.replica())).contains(key);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client
                    .view()
                    .topology()
                    .shard(1)
                    .orElseThrow()
                    .primary()
                    .equals(view.get("primary").asString()));
    insert(client, keysOnShard(1, "after-switchover-", 1).getFirst());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
