package dev.faultline.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardRefusedException;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.testing.Http;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
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
 * Online resharding on three real shards (primary + synchronous replica each), of which two are in
 * the topology at first, with the real router and a real ZooKeeper: a shard is registered and a
 * third of the slots move to it while writers keep writing; then it is drained and removed. Every
 * acknowledged write is checked afterwards, on the one shard that owns its key, exactly once.
 */
@WithZooKeeper
@RouterOverOwnShards
class ReshardingIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int SEEDED_KEYS = 4000;

  @RegisterExtension static final ShardFixture fixture = new ShardFixture(3, 2);

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    fixture.register(registry::add);
    // Small batches: several cutovers per move, each one a chance to lose a write.
    registry.add("faultline.router.resharding.batch-slots", () -> "1024");
  }

  @Autowired CuratorFramework zk;
  @Autowired TopologyStore store;
  @Autowired Environment environment;

  private Http http() {
    return Http.localServer(environment);
  }

  private static String address(PostgresShard shard, boolean primary) {
    return ShardFixture.address(primary ? shard.primary().port() : shard.replica().port());
  }

  private static void put(ShardClient client, String key, long value) {
    client.write(
        key,
        db -> {
          db.sql(
                  "insert into items (id, payload) values (?, ?)"
                      // Concurrent writers of a key commit in any order: keep the largest,
                      // so a key holds at least every value acknowledged for it.
                      + " on conflict (id) do update set payload ="
                      + " greatest(items.payload::bigint, excluded.payload::bigint)::text")
              .params(key, Long.toString(value))
              .update();
          // The key's next entry, under the row lock the upsert holds.
          db.sql(
                  "insert into entries (key, n)"
                      + " select ?, coalesce(max(n), 0) + 1 from entries where key = ?")
              .params(key, key)
              .update();
          return null;
        });
  }

  /**
   * Per key, its entries' ids follow their n, 1, 2, 3… with none missing or twice, and all of a
   * key's entries are on one shard.
   */
  private void assertEntriesInOrder(int shards) throws Exception {
    Map<String, Integer> shardOfKey = new HashMap<>();
    for (int i = 0; i < shards; i++) {
      try (Connection c = currentPrimary(i).appConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select key, array_agg(n order by id)::text from items.entries group by key")) {
        while (rs.next()) {
          String key = rs.getString(1);
          assertThat(shardOfKey.put(key, i)).as("entries of %s on two shards", key).isNull();
          String[] ns = rs.getString(2).replaceAll("[{}]", "").split(",");
          for (int n = 0; n < ns.length; n++) {
            assertThat(Long.parseLong(ns[n])).as("entry %d of %s by id", n, key).isEqualTo(n + 1);
          }
        }
      }
    }
    assertThat(shardOfKey).isNotEmpty();
  }

  private static String get(ShardClient client, String key) {
    return client.read(
        key,
        Freshness.LATEST,
        db ->
            db.sql("select payload from items where id = ?")
                .param(key)
                .query(String.class)
                .optional()
                .orElse(null));
  }

  /** Writers over seeded and new keys, remembering each key's last acknowledged value. */
  private static final class Writers implements AutoCloseable {
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    final Map<String, Long> lastAckNanos = new ConcurrentHashMap<>();
    final AtomicLong longestGapNanos = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    Writers(ShardClient client) {
      for (int t = 0; t < 4; t++) {
        int writer = t;
        pool.submit(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
              for (long i = 0; !stop.get() && System.nanoTime() < deadline && i < 200_000; i++) {
                String key =
                    i % 2 == 0
                        ? "seed-" + ThreadLocalRandom.current().nextInt(SEEDED_KEYS)
                        : "w" + writer + "-" + i;
                long value = writes.incrementAndGet();
                try {
                  put(client, key, value);
                  acknowledged.merge(key, value, Math::max);
                  long now = System.nanoTime();
                  Long before = lastAckNanos.put("writer-" + writer, now);
                  if (before != null) {
                    longestGapNanos.accumulateAndGet(now - before, Math::max);
                  }
                } catch (ShardRefusedException e) {
                  refused.incrementAndGet();
                } catch (RuntimeException e) {
                  // A node killed under the write (the failover step): the outcome is unknown, so
                  // nothing is recorded as acknowledged; the writer goes on.
                  failed.incrementAndGet();
                  sleepQuietly(20);
                }
              }
            });
      }
    }

    private static void sleepQuietly(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private JsonNode awaitJobDone(String id) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              JsonNode job = job(id);
              assertThat(job.path("state").asString()).isNotEqualTo("FAILED");
              return job.path("state").asString().equals("DONE");
            });
    return job(id);
  }

  private JsonNode job(String id) {
    HttpResponse<String> r = http().get("/api/shards/migrations", TestTokens.admin());
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode job : JSON.readTree(r.body())) {
      if (job.path("id").asString().equals(id)) {
        return job;
      }
    }
    throw new AssertionError("no job " + id + " in " + r.body());
  }

  /** Every key in items on each primary, with the shard it was found on. */
  private Map<String, List<Integer>> whereIsEveryKey(int shards) throws Exception {
    Map<String, List<Integer>> found = new HashMap<>();
    for (int i = 0; i < shards; i++) {
      try (Connection c = currentPrimary(i).appConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id from items.items")) {
        while (rs.next()) {
          found.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(i);
        }
      }
    }
    return found;
  }

  @Test
  void aShardJoinsUnderWritesAndLeavesAgainWithNoWriteLostOrDuplicated() throws Exception {
    ShardClient client = fixture.client(zk);
    for (int i = 0; i < SEEDED_KEYS; i++) {
      put(client, "seed-" + i, 0);
    }
    Topology before = store.read().orElseThrow().topology();

    // Bad requests change nothing.
    assertThat(
            http()
                .post("/api/shards", TestTokens.admin(), "{\"primary\":\"127.0.0.1:1\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            http()
                .post(
                    "/api/shards",
                    TestTokens.admin(),
                    "{\"id\":0,\"primary\":\"127.0.0.1:1\",\"replicas\":[]}")
                .statusCode())
        .isEqualTo(409);
    assertThat(
            http()
                .post(
                    "/api/shards",
                    TestTokens.customer("alice"),
                    "{\"id\":2,\"primary\":\"127.0.0.1:1\",\"replicas\":[]}")
                .statusCode())
        .isEqualTo(403);
    assertThat(http().post("/api/shards/0/slots", TestTokens.admin(), "{\"slots\":[-1]}"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400));
    assertThat(store.read().orElseThrow().topology().epoch()).isEqualTo(before.epoch());

    Map<String, Long> acknowledged;
    long refused;
    try (Writers writers = new Writers(client)) {
      Thread.sleep(500);
      HttpResponse<String> added = addShard2();
      JsonNode job = JSON.readTree(added.body());
      assertThat(job.path("slotsTotal").asInt()).isEqualTo(16384 / 3);
      JsonNode done = awaitJobDone(job.path("id").asString());
      assertThat(done.path("slotsDone").asInt()).isEqualTo(16384 / 3);
      assertThat(done.path("rowsCopied").asLong()).isPositive();
      // A second job while one runs would be refused; this one is over, so the next may start.
      Thread.sleep(500);
      acknowledged = Map.copyOf(writers.acknowledged);
      refused = writers.refused.get();
      writers.close();
      acknowledged = Map.copyOf(writers.acknowledged);
      System.out.printf(
          "resharding: %d writes, %d refused, longest gap between one writer's acknowledged"
              + " writes %d ms%n",
          writers.writes.get(), refused, writers.longestGapNanos.get() / 1_000_000);
    }

    Topology after = store.read().orElseThrow().topology();
    assertThat(after.slotRing().slotCounts()).containsEntry(2, 16384 / 3);
    assertThat(after.frozen()).isEmpty();

    Map<String, List<Integer>> where = assertEveryKeyOnceOnItsOwner(after);
    assertThat(where.values().stream().filter(l -> l.getFirst() == 2).count()).isPositive();
    assertAcknowledgedWritesHold(client, acknowledged);

    assertEntriesInOrder(3);

    // A client that missed the move is refused by the shard the slot left, never served a copy.
    String moved =
        where.entrySet().stream()
            .filter(e -> e.getValue().getFirst() == 2)
            .findFirst()
            .orElseThrow()
            .getKey();
    ShardClient stale = fixture.staleClient(before);
    assertThatThrownBy(() -> get(stale, moved))
        .isInstanceOf(ShardRefusedException.SlotMoving.class);
    assertThatThrownBy(() -> put(stale, moved, 1))
        .isInstanceOf(ShardRefusedException.SlotMoving.class);

    // The new shard's replica streams the moved rows.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try (Connection c = fixture.shard(2).replica().appConnection();
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("select count(*) from items.items")) {
                rs.next();
                return rs.getLong(1)
                    == where.values().stream().filter(l -> l.getFirst() == 2).count();
              }
            });

    // A shard with slots cannot be removed; drained, it can.
    assertThat(http().delete("/api/shards/2", TestTokens.admin()).statusCode()).isEqualTo(409);
    HttpResponse<String> drain = http().post("/api/shards/2/drain", TestTokens.admin(), "{}");
    assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
    awaitJobDone(JSON.readTree(drain.body()).path("id").asString());
    assertThat(http().delete("/api/shards/2", TestTokens.admin()).statusCode()).isEqualTo(204);
    Topology last = store.read().orElseThrow().topology();
    assertThat(last.shards()).hasSize(2);
    assertThat(last.slotRing().slotCounts()).hasSize(2);
    Map<String, List<Integer>> finalWhere = whereIsEveryKey(3);
    assertThat(finalWhere.keySet()).isEqualTo(where.keySet());
    for (var entry : finalWhere.entrySet()) {
      assertThat(entry.getValue()).as(entry.getKey()).hasSize(1);
      assertThat(entry.getValue().getFirst()).isEqualTo(last.slotRing().shardOf(entry.getKey()));
    }
    assertEntriesInOrder(3);
    for (var entry : acknowledged.entrySet()) {
      assertThat(Long.parseLong(get(client, entry.getKey())))
          .as(entry.getKey())
          .isGreaterThanOrEqualTo(entry.getValue());
    }

    aCutoverThatFailsBeforeTheSwitchIsRolledBackAndTriedAgain(client, last);
    aSourcePrimaryKilledMidMoveFailsOverAndTheMoveLosesNothing(client);
  }

  /** The node of shard {@code i} that the topology names its primary now (failovers move it). */
  private dev.faultline.cluster.postgres.PostgresNode currentPrimary(int i) throws Exception {
    PostgresShard shard = fixture.shard(i);
    var listed = store.read().orElseThrow().topology().shard(i);
    if (listed.isEmpty()) {
      return shard.primary(); // removed from the topology: its nodes stay as they were
    }
    String primary = listed.get().primary();
    return ShardFixture.address(shard.primary().port()).equals(primary)
        ? shard.primary()
        : shard.replica();
  }

  /**
   * Shard 2 joins again under writers, and while a batch moves out of shard 0 its primary is
   * killed: the router promotes shard 0's replica, the mover's step fails against the dead node and
   * is tried again against the new primary (the changes captured before the kill were replicated
   * synchronously with the writes), and the job ends DONE. Every acknowledged write is found,
   * exactly once, on its owner.
   */
  private void aSourcePrimaryKilledMidMoveFailsOverAndTheMoveLosesNothing(ShardClient client)
      throws Exception {
    PostgresShard source = fixture.shard(0);
    Map<String, Long> acknowledged;
    try (Writers writers = new Writers(client)) {
      Thread.sleep(300);
      HttpResponse<String> added = addShard2();
      String id = JSON.readTree(added.body()).path("id").asString();
      // Mid-move: a batch out of shard 0 has started and not yet been switched.
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                JsonNode job = job(id);
                return job.path("state").asString().equals("RUNNING")
                    && job.path("source").asInt(-1) == 0
                    && List.of("PREPARE", "COPY", "CATCH_UP")
                        .contains(job.path("phase").asString());
              });
      long epoch = store.read().orElseThrow().topology().epoch();
      source.kill(source.primary());
      long writesAtKill = writers.writes.get();
      JsonNode done = awaitJobDone(id);
      assertThat(done.path("slotsDone").asInt()).isEqualTo(16384 / 3);
      Topology after = store.read().orElseThrow().topology();
      assertThat(after.epoch()).isGreaterThan(epoch);
      assertThat(after.shard(0).orElseThrow().primary())
          .as("shard 0's replica was promoted")
          .isEqualTo(address(source, false));
      Thread.sleep(300);
      writers.close();
      assertThat(writers.writes.get())
          .as("the writers went on after the kill")
          .isGreaterThan(writesAtKill + 100);
      acknowledged = Map.copyOf(writers.acknowledged);
      System.out.printf(
          "failover mid-move: %d writes (%d after the kill), %d refused, %d failed (outcome"
              + " unknown), job %s%n",
          writers.writes.get(),
          writers.writes.get() - writesAtKill,
          writers.refused.get(),
          writers.failed.get(),
          id);
    }
    Topology now = store.read().orElseThrow().topology();
    assertThat(now.slotRing().slotCounts()).containsEntry(2, 16384 / 3);
    assertEveryKeyOnceOnItsOwner(now);
    assertAcknowledgedWritesHold(client, acknowledged);
    assertEntriesInOrder(3);
  }

  /** Registers shard 2 (its own nodes), which starts moving a third of the slots to it. */
  private HttpResponse<String> addShard2() {
    HttpResponse<String> added =
        http()
            .post(
                "/api/shards",
                TestTokens.admin(),
                "{\"id\":2,\"primary\":\""
                    + address(fixture.shard(2), true)
                    + "\",\"replicas\":[\""
                    + address(fixture.shard(2), false)
                    + "\"]}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
    return added;
  }

  /** Exactly one copy of every key, on the shard that owns its slot in {@code topology}. */
  private Map<String, List<Integer>> assertEveryKeyOnceOnItsOwner(Topology topology)
      throws Exception {
    Map<String, List<Integer>> where = whereIsEveryKey(3);
    for (var entry : where.entrySet()) {
      assertThat(entry.getValue()).as(entry.getKey()).hasSize(1);
      assertThat(entry.getValue().getFirst())
          .as(entry.getKey())
          .isEqualTo(topology.slotRing().shardOf(entry.getKey()));
    }
    return where;
  }

  /** No acknowledged write lost: each key holds its last acknowledged value, or a later one. */
  private static void assertAcknowledgedWritesHold(
      ShardClient client, Map<String, Long> acknowledged) {
    for (var entry : acknowledged.entrySet()) {
      String value = get(client, entry.getKey());
      assertThat(value).as(entry.getKey()).isNotNull();
      assertThat(Long.parseLong(value)).as(entry.getKey()).isGreaterThanOrEqualTo(entry.getValue());
    }
  }

  /**
   * Chosen slots move from shard 1 to shard 0; the first cutover fails right after the source
   * refused the slots (reads too) and before the topology moved them. The source serves them again
   * (rolled back), and the job's next try moves them.
   */
  private void aCutoverThatFailsBeforeTheSwitchIsRolledBackAndTriedAgain(
      ShardClient client, Topology before) throws Exception {
    Map<Integer, String> keyOfSlot = new java.util.TreeMap<>();
    for (int i = 0; keyOfSlot.size() < 8; i++) {
      String key = "seed-" + i;
      var route = before.slotRing().route(key);
      if (route.shard() == 1) {
        keyOfSlot.putIfAbsent(route.slot(), key);
      }
    }
    Map<String, String> values = new HashMap<>();
    for (String key : keyOfSlot.values()) {
      values.put(key, get(client, key));
    }
    double rollbacksBefore = rollbacks();
    dev.faultline.failpoints.Failpoints.failNext("reshard.source-gone", 3);
    HttpResponse<String> moved =
        http()
            .post(
                "/api/shards/0/slots",
                TestTokens.admin(),
                JSON.writeValueAsString(Map.of("slots", List.copyOf(keyOfSlot.keySet()))));
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(202);
    // Rolled back, the source serves the slots again: a write to one of them is acknowledged
    // (were the source still refusing it, or the topology still freezing it, it would be refused).
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> rollbacks() > rollbacksBefore);
    String written = keyOfSlot.values().iterator().next();
    put(client, written, 1_000_000_000L);
    values.put(written, "1000000000");
    awaitJobDone(JSON.readTree(moved.body()).path("id").asString());
    assertThat(rollbacks()).isEqualTo(rollbacksBefore + 3);
    Topology after = store.read().orElseThrow().topology();
    assertThat(after.frozen()).isEmpty();
    for (var entry : keyOfSlot.entrySet()) {
      assertThat(after.slotRing().shardOfSlot(entry.getKey())).isZero();
      assertThat(get(client, entry.getValue())).isEqualTo(values.get(entry.getValue()));
    }
    Map<String, List<Integer>> where = whereIsEveryKey(3);
    for (String key : keyOfSlot.values()) {
      assertThat(where.get(key)).as(key).containsExactly(0);
    }
  }

  private double rollbacks() {
    String metrics = http().get("/actuator/prometheus", null).body();
    var matcher =
        java.util.regex.Pattern.compile("(?m)^shard_reshard_rollbacks_total(?:\\{[^}]*})? (\\S+)$")
            .matcher(metrics);
    assertThat(matcher.find()).as("shard_reshard_rollbacks_total in %s", metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
