package dev.faultline.bench.reshard;

import dev.faultline.bench.Bench;
import dev.faultline.bench.Latencies;
import dev.faultline.bench.RunningSuite;
import dev.faultline.bench.SuiteShards;
import dev.faultline.cluster.process.Commands;
import dev.faultline.ring.Route;
import dev.faultline.ring.SlotRing;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench reshard [--rows 200000] [--writers 8] [--before 15]}: against the running local
 * suite, loads a table of {@code rows} rows spread over the shards, runs writers through the shard
 * client (as a service writes) and, after {@code before} seconds, adds a shard the way an operator
 * does ({@code bin/suite shards add}). Reports each cutover's write pause (the router's, and the
 * longest write a client saw to a key that moved), the time per 100k rows moved, the writers'
 * throughput and p99 before and during the move, and checks that no acknowledged write was lost or
 * duplicated. Then removes the shard again ({@code bin/suite shards remove}) and drops its table.
 */
public final class ReshardBench {
  private static final String SCHEMA = "bench_reshard";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ReshardBench() {}

  /** One write: when it started and ended, its slot, whether it was acknowledged. */
  private record Write(long start, long end, int slot, boolean ok) {}

  public static void run(String[] args) throws Exception {
    int rows = Math.min(2_000_000, Bench.intArg(args, "--rows", 200_000));
    int writers = Math.min(64, Bench.intArg(args, "--writers", 8));
    int before = Math.min(120, Bench.intArg(args, "--before", 15));
    RunningSuite suite = RunningSuite.fromEnvironment();
    try (SuiteShards shards = suite.shards()) {
      Topology start = shards.topology().topology();
      for (ShardInfo shard : start.shards()) {
        createTable(suite, shard.primary());
      }
      ShardClient client = shards.client(null, "bench-reshard", writers + 2);
      String run = Long.toHexString(System.nanoTime());
      List<String> keys = load(client, run, rows);
      System.out.printf(Locale.ROOT, "reshard: %,d rows loaded over %s%n", rows, start.slotRing());

      Map<String, Long> acknowledged = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
      AtomicLong values = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
      for (int w = 0; w < writers; w++) {
        pool.submit(
            () -> {
              while (!stop.get() && System.nanoTime() < deadline) {
                String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                int slot = client.route(key).slot();
                long value = values.incrementAndGet();
                long t0 = System.nanoTime();
                boolean ok;
                try {
                  client.write(
                      key,
                      db ->
                          db.sql(
                                  "update "
                                      + SCHEMA
                                      + ".items set payload = greatest(payload, ?) where id = ?")
                              .params(value, key)
                              .update());
                  acknowledged.merge(key, value, Math::max);
                  ok = true;
                } catch (RuntimeException e) {
                  ok = false;
                }
                writes.add(new Write(t0, System.nanoTime(), slot, ok));
              }
              return null;
            });
      }
      Thread.sleep(before * 1000L);
      long moveStart = System.nanoTime();
      // The new shard gets this table as soon as it is registered (a service's own migration does
      // it for the services' tables); the move waits for it.
      Future<?> tables =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  Topology now = shards.topology().topology();
                  for (ShardInfo shard : now.shards()) {
                    if (start.shard(shard.id()).isEmpty()) {
                      try {
                        createTable(suite, shard.primary());
                        return null;
                      } catch (Exception notYet) {
                        // its fence and schemas are being made
                      }
                    }
                  }
                  Thread.sleep(200);
                }
                return null;
              });
      Commands.Result added = suite.command().run(Duration.ofMinutes(30), "shards", "add");
      long moveEnd = System.nanoTime();
      Thread.sleep(3000);
      stop.set(true);
      tables.cancel(true);
      pool.shutdown();
      pool.awaitTermination(60, TimeUnit.SECONDS);
      System.out.println(added.output().strip());
      if (added.exitCode() != 0) {
        throw new IllegalStateException("bin/suite shards add failed");
      }

      Topology end = shards.topology().refresh().topology();
      SlotRing ringBefore = start.slotRing();
      SlotRing ringAfter = end.slotRing();
      JsonNode job = lastJob(suite);
      report(job, writes, moveStart, moveEnd, ringBefore, ringAfter);
      long lost = check(suite, end, run, acknowledged, rows);
      System.out.println("reshard: removing the shard again (bin/suite shards remove)");
      int added2 = end.shards().stream().mapToInt(ShardInfo::id).max().orElseThrow();
      System.out.println(
          suite
              .command()
              .ok(Duration.ofMinutes(30), "shards", "remove", Integer.toString(added2))
              .strip());
      for (ShardInfo shard : shards.topology().refresh().topology().shards()) {
        dropTable(suite, shard.primary());
      }
      if (lost > 0) {
        System.exit(1);
      }
    }
  }

  /** The table: keyed rows with their slot and a value, captured while they move. */
  private static void createTable(RunningSuite suite, String node) throws Exception {
    try (Connection c = superuser(suite, node);
        Statement s = c.createStatement()) {
      s.execute("create schema if not exists " + SCHEMA);
      s.execute(
          "create table if not exists "
              + SCHEMA
              + ".items (id text primary key, payload bigint not null default 0,"
              + " slot integer not null default shard_meta.current_slot())");
      s.execute("create index if not exists items_by_slot on " + SCHEMA + ".items (slot)");
      s.execute(
          "create or replace trigger items_capture after insert or update or delete on "
              + SCHEMA
              + ".items for each row execute function shard_meta.capture()");
      s.execute("grant usage on schema " + SCHEMA + " to faultline");
      s.execute("grant all on all tables in schema " + SCHEMA + " to faultline");
    }
  }

  private static void dropTable(RunningSuite suite, String node) throws Exception {
    try (Connection c = superuser(suite, node);
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + SCHEMA + " cascade");
    }
  }

  private static Connection superuser(RunningSuite suite, String node) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + node + "/faultline",
        "postgres",
        suite.credentials().superuserPassword());
  }

  /** {@code rows} keys, inserted 5,000 to a transaction per shard, each row with its slot. */
  private static List<String> load(ShardClient client, String run, int rows) {
    Map<Integer, List<Route>> byShard = new HashMap<>();
    List<String> keys = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      String key = "r-" + run + "-" + i;
      keys.add(key);
      Route route = client.route(key);
      byShard.computeIfAbsent(route.shard(), k -> new ArrayList<>()).add(route);
    }
    byShard.forEach(
        (shard, routes) -> {
          for (int i = 0; i < routes.size(); i += 5000) {
            List<Route> chunk = routes.subList(i, Math.min(routes.size(), i + 5000));
            String[] ids = chunk.stream().map(Route::key).toArray(String[]::new);
            Integer[] slots = chunk.stream().map(Route::slot).toArray(Integer[]::new);
            client.write(
                shard,
                db ->
                    db.sql(
                            "insert into "
                                + SCHEMA
                                + ".items (id, slot) select * from unnest(?::text[], ?::int[])")
                        .params(ids, slots)
                        .update());
          }
        });
    return keys;
  }

  private static JsonNode lastJob(RunningSuite suite) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(suite.ports().gatewayUri() + "/api/shards/migrations"))
                  .header("Authorization", "Bearer " + suite.adminToken())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode jobs = JSON.readTree(r.body());
      return jobs.get(jobs.size() - 1);
    }
  }

  private static void report(
      JsonNode job,
      ConcurrentLinkedQueue<Write> all,
      long moveStart,
      long moveEnd,
      SlotRing ringBefore,
      SlotRing ringAfter) {
    long[] pauses = new long[job.path("cutoverPausesMillis").size()];
    for (int i = 0; i < pauses.length; i++) {
      pauses[i] = job.path("cutoverPausesMillis").get(i).asLong();
    }
    Arrays.sort(pauses);
    Duration took =
        Duration.between(
            java.time.Instant.parse(job.path("started").asString()),
            java.time.Instant.parse(job.path("finished").asString()));
    long moved = job.path("rowsCopied").asLong();
    List<Write> beforeMove = all.stream().filter(w -> w.end() < moveStart).toList();
    List<Write> during =
        all.stream().filter(w -> w.start() >= moveStart && w.end() <= moveEnd).toList();
    long longestToMoved = 0;
    int refused = 0;
    for (Write w : during) {
      if (ringBefore.shardOfSlot(w.slot()) != ringAfter.shardOfSlot(w.slot())) {
        longestToMoved = Math.max(longestToMoved, w.end() - w.start());
        refused += w.ok() ? 0 : 1;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "reshard: %d cutovers; write pause per cutover (router, frozen to switched):"
            + " p50 %d ms, p99 %d ms, max %d ms%n"
            + "reshard: longest write a client saw to a key that moved: %.0f ms;"
            + " writes to moved keys refused: %d%n"
            + "reshard: %,d rows moved in %.1f s: %.1f s per 100k rows%n",
        pauses.length,
        pauses.length == 0 ? 0 : pauses[(int) Math.ceil(0.5 * pauses.length) - 1],
        pauses.length == 0 ? 0 : pauses[(int) Math.ceil(0.99 * pauses.length) - 1],
        pauses.length == 0 ? 0 : pauses[pauses.length - 1],
        longestToMoved / 1e6,
        refused,
        moved,
        took.toMillis() / 1e3,
        moved == 0 ? 0 : took.toMillis() / 1e3 * 100_000 / moved);
    System.out.println("| writers | writes/s | p50 ms | p99 ms |");
    System.out.println("| --- | ---: | ---: | ---: |");
    row("before the move", beforeMove);
    row("during the move", during);
  }

  private static void row(String name, List<Write> writes) {
    if (writes.isEmpty()) {
      return;
    }
    long[] nanos = writes.stream().mapToLong(w -> w.end() - w.start()).sorted().toArray();
    long first = writes.stream().mapToLong(Write::start).min().orElseThrow();
    long last = writes.stream().mapToLong(Write::end).max().orElseThrow();
    Latencies.row(
        name, writes.stream().filter(Write::ok).count() / ((last - first) / 1e9), nanos, "%.0f");
  }

  /**
   * Every key once, on the shard its slot belongs to, holding at least its last acknowledged value;
   * returns the number of violations.
   */
  private static long check(
      RunningSuite suite, Topology end, String run, Map<String, Long> acknowledged, int rows)
      throws Exception {
    SlotRing ring = end.slotRing();
    Map<String, Long> found = new HashMap<>();
    long duplicated = 0;
    long misplaced = 0;
    for (ShardInfo shard : end.shards()) {
      try (Connection c = superuser(suite, shard.primary());
          Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        c.setAutoCommit(false);
        try (ResultSet rs =
            s.executeQuery(
                "select id, payload from " + SCHEMA + ".items where id like 'r-" + run + "-%'")) {
          while (rs.next()) {
            if (found.put(rs.getString(1), rs.getLong(2)) != null) {
              duplicated++;
            }
            if (ring.shardOf(rs.getString(1)) != shard.id()) {
              misplaced++;
            }
          }
        }
      }
    }
    long lost = rows - found.size();
    for (var entry : acknowledged.entrySet()) {
      Long value = found.get(entry.getKey());
      if (value == null || value < entry.getValue()) {
        lost++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "reshard: %,d keys written and acknowledged, %,d keys found; %d lost, %d duplicated, %d on the wrong"
            + " shard%n",
        acknowledged.size(),
        found.size(),
        lost,
        duplicated,
        misplaced);
    return lost + duplicated + misplaced;
  }
}
