package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.faultline.cluster.process.Commands;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import dev.faultline.drill.check.Checker;
import dev.faultline.drill.check.Observed;
import dev.faultline.drill.check.Violation;
import dev.faultline.drill.fault.LoopbackPartition;
import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.History;
import dev.faultline.drill.history.HistoryLog;
import dev.faultline.drill.load.Gateway;
import dev.faultline.drill.observe.SuiteObserver;
import dev.faultline.drill.slo.Prometheus;
import dev.faultline.drill.suite.LocalSuite;
import dev.faultline.e2e.tour.TourPage;
import dev.faultline.e2e.tour.TourScript;
import dev.faultline.monitoring.dashboard.Dashboard;
import dev.faultline.monitoring.slo.Generated;
import dev.faultline.monitoring.slo.RuleFile;
import dev.faultline.monitoring.slo.Slo;
import dev.faultline.monitoring.slo.SloFile;
import dev.faultline.testing.ProblemAssert;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole suite, as a user runs it: {@code bin/suite up} starts 15 real processes, requests go
 * through the gateway, a pod kill is survived, {@code bin/suite down} leaves nothing behind. Ports
 * are shifted by SUITE_PORT_OFFSET (see the pom) so a developer's running suite is left alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteEndToEndIT {
  private static final int OFFSET = Integer.parseInt(System.getenv("SUITE_PORT_OFFSET"));
  private static final String GATEWAY = "http://127.0.0.1:" + (8080 + OFFSET);
  private static final Path SUITE_HOME = Path.of(System.getenv("SUITE_HOME"));
  private static final String MISSING_ORDER = "/api/orders/00000000-0000-4000-8000-000000000001";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final GatewayCalls gateway = new GatewayCalls(GATEWAY);
  private static final String PROMETHEUS = "http://127.0.0.1:" + (9090 + OFFSET);
  private static final Path REPO = Path.of(System.getProperty("suite.repo"));

  private static Cli suite;
  private static String customerToken;
  private static String adminToken;
  private static List<Long> pidsWhileUp = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    suite = Cli.suite(Path.of(System.getProperty("suite.repo")));
    suite.run(Duration.ofMinutes(2), "down", "--purge"); // leftovers of an aborted run
    String output = suite.ok(Duration.ofMinutes(8), "up", "--monitoring");
    System.out.println(output);
    assertThat(output).contains("all 17 processes healthy");
    // The first start of a build leaves a class-data archive per service for every later start.
    assertThat(output.lines().filter(l -> l.contains("class-data archives of")).findFirst())
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains(
                        "gateway",
                        "order-service",
                        "payment-service",
                        "lock-service",
                        "shard-router"));
    customerToken = suite.ok(Duration.ofMinutes(1), "token", "--customer", "alice").trim();
    adminToken = suite.ok(Duration.ofMinutes(1), "token", "--admin").trim();
  }

  @AfterAll
  static void purge() throws Exception {
    if (suite != null) {
      suite.run(Duration.ofMinutes(2), "down", "--purge");
    }
  }

  @Test
  @Order(1)
  void everyProcessReportsHealthy() throws Exception {
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    assertThat(rows).hasSize(17);
    List<String> unhealthy = new ArrayList<>();
    for (JsonNode row : rows) {
      assertThat(row.has("name") && row.has("pid") && row.has("port") && row.has("role")).isTrue();
      if (!row.get("healthy").asBoolean()) {
        unhealthy.add(row.get("name").asString());
      }
      pidsWhileUp.add(row.get("pid").asLong());
    }
    assertThat(unhealthy).isEmpty();
    assertThat(roles(rows))
        .contains("leader", "follower", "primary", "replica", "gateway", "monitoring");
    // Everything is on loopback by default: no process of the suite listens anywhere else.
    Set<Integer> ports = new HashSet<>();
    rows.forEach(row -> ports.add(row.get("port").asInt()));
    assertThat(ListeningSockets.offLoopback(ports)).isEmpty();
  }

  @Test
  @Order(2)
  void withoutATokenEveryRouteAnswers401Problem() throws Exception {
    for (String path :
        List.of(
            MISSING_ORDER,
            "/api/accounts/acc-1",
            "/api/payments/p-1",
            "/api/locks/demo",
            "/api/shards")) {
      HttpResponse<String> response = gateway.get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      ProblemAssert.assertProblem(response, "unauthorized");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    assertThat(gateway.get("/api/shards", "not.a.token").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void aValidTokenReachesEachService() throws Exception {
    // 404s whose problem type only the service itself produces: the request got there.
    HttpResponse<String> order = gateway.get(MISSING_ORDER, customerToken);
    ProblemAssert.assertProblem(order, 404, "order-not-found");
    assertThat(JSON.readTree(order.body()).get("traceId").asString())
        .isEqualTo(order.headers().firstValue("X-Trace-Id").orElseThrow());

    HttpResponse<String> account = gateway.get("/api/accounts/acc-1", customerToken);
    ProblemAssert.assertProblem(account, 404, "account-not-found");

    HttpResponse<String> lock = gateway.get("/api/locks/demo", customerToken);
    ProblemAssert.assertProblem(lock, 404, "lock-not-held");

    HttpResponse<String> shards = gateway.get("/api/shards", customerToken);
    assertThat(shards.statusCode()).isEqualTo(200);
    JsonNode topology = JSON.readTree(shards.body());
    assertThat(topology.get("epoch").asLong()).isPositive();
    assertThat(topology.get("shards")).hasSize(2);

    HttpResponse<String> badId = gateway.get("/api/orders/not-an-id", customerToken);
    ProblemAssert.assertProblem(badId, 400, "bad-request");
  }

  @Test
  @Order(4)
  void shardAdministrationNeedsTheAdminRole() throws Exception {
    HttpResponse<String> customer = gateway.post("/api/shards/0/failover", customerToken);
    ProblemAssert.assertProblem(customer, 403, "forbidden");
    // The admin gets past the gateway and the router answers (no such shard).
    HttpResponse<String> admin = gateway.post("/api/shards/9/failover", adminToken);
    ProblemAssert.assertProblem(admin, 404, "shard-not-found");
  }

  @Test
  @Order(4)
  void badInputToEveryServiceThroughTheGatewayIsA4xxProblemAndChangesNothing() throws Exception {
    // The documents as the gateway gathers them, and the Swagger UI that offers them.
    JsonNode config = JSON.readTree(gateway.get("/v3/api-docs/swagger-config", null).body());
    assertThat(config.get("urls")).hasSize(4);
    assertThat(gateway.get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    String owner = "probe-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Integer> probes =
        new GatewayProbes(
                GATEWAY,
                owner,
                suite.ok(Duration.ofMinutes(1), "token", "--customer", owner).trim(),
                adminToken)
            .run();
    System.out.println("bad requests through the gateway, per service: " + probes);
    assertThat(probes.values()).allMatch(n -> n >= 15);
    assertThat(probes.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(400);
  }

  @Test
  @Order(5)
  void theIdempotencyTableHoldsThroughTheGatewayUnderConcurrentDuplicates() throws Exception {
    String account = gateway.openAccount("alice", customerToken, 10_000);
    String key = "e2e-" + UUID.randomUUID();
    String body = GatewayCalls.orderBody("alice", account, 1_500);

    HttpResponse<String> missing = gateway.post("/api/orders", customerToken, body, null);
    ProblemAssert.assertProblem(missing, 400, "idempotency-key-missing");

    List<Callable<HttpResponse<String>>> duplicates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      duplicates.add(() -> gateway.post("/api/orders", customerToken, body, key));
    }
    List<Integer> statuses = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int fresh = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<HttpResponse<String>> f : pool.invokeAll(duplicates)) {
        HttpResponse<String> response = f.get();
        statuses.add(response.statusCode());
        if (response.statusCode() == 409) {
          ProblemAssert.assertProblem(response, "idempotency-key-in-use");
        } else {
          ids.add(JSON.readTree(response.body()).get("id").asString());
          if (response.headers().firstValue("Idempotent-Replayed").isEmpty()) {
            fresh++;
          }
        }
      }
    }
    System.out.println("8 concurrent duplicates through the gateway answered " + statuses);
    assertThat(statuses).isSubsetOf(201, 202, 409);
    assertThat(ids).hasSize(1);
    assertThat(fresh).isEqualTo(1);

    HttpResponse<String> replay = gateway.post("/api/orders", customerToken, body, key);
    assertThat(replay.statusCode()).isIn(201, 202);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    HttpResponse<String> reused =
        gateway.post(
            "/api/orders", customerToken, GatewayCalls.orderBody("alice", account, 1_501), key);
    ProblemAssert.assertProblem(reused, 422, "idempotency-key-reused");
    assertThat(JSON.readTree(gateway.get("/api/orders?customerId=alice", customerToken).body()))
        .hasSize(1);
  }

  @Test
  @Order(6)
  void aConcurrentLoadOfOrdersDeclinesAndCancelsKeepsTheMoneyRight() throws Exception {
    // Four customers, 120 operations from 8 threads: orders (some beyond the balance, so
    // declined), cancels of earlier orders, deposits. Each retried on 409/503 with its own key.
    Customers customers = customers(4, 20_000);
    Load load = Load.run(customers, 8, 15, Duration.ofMinutes(3), new AtomicBoolean());
    assertThat(load.placed()).hasSizeGreaterThan(20);
    awaitSettled(load.placed());
    // The money checks are the chaos drill's: its observer reads every shard's primary, its checker
    // judges (an empty history: the acknowledged orders were checked above).
    Observed observed =
        observer()
            .observe(new History(List.of()), customers.accounts().values(), "-", Instant.now());
    List<Violation> violations =
        Checker.check(new History(List.of()), observed, Duration.ofSeconds(60));
    Map<String, Long> byStatus =
        load.placed().stream()
            .map(id -> observed.orders().get(id).status())
            .collect(
                java.util.stream.Collectors.groupingBy(
                    status -> status, java.util.stream.Collectors.counting()));
    long rejected = byStatus.getOrDefault("REJECTED", 0L);
    long cancelled = byStatus.getOrDefault("CANCELLED", 0L);
    System.out.printf(
        "load: %d orders placed (%s), %d 5xx after retries%n",
        load.placed().size(), byStatus, load.failures());
    assertThat(violations).isEmpty();
    assertThat(rejected).as("the load declined some orders").isPositive();
    assertThat(cancelled).as("the load cancelled some orders").isPositive();
  }

  /** Customers with an account each, and their tokens. */
  record Customers(Map<String, String> accounts, Map<String, String> tokens) {}

  private static Customers customers(int count, long balanceCents) throws Exception {
    Map<String, String> accounts = new LinkedHashMap<>();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int c = 0; c < count; c++) {
      String customer = "load-" + c + "-" + UUID.randomUUID().toString().substring(0, 6);
      String token = suite.ok(Duration.ofMinutes(1), "token", "--customer", customer).trim();
      tokens.put(customer, token);
      accounts.put(customer, gateway.openAccount(customer, token, balanceCents));
    }
    return new Customers(accounts, tokens);
  }

  /** What a load of orders, cancels and deposits did: the acknowledged orders, the 5xx. */
  record Load(List<String> placed, int failures) {
    /**
     * {@code workers} threads of up to {@code ops} operations each (6 in 10 orders, 2 cancels, 2
     * deposits), until {@code max} has passed or {@code stop} is set.
     */
    static Load run(Customers customers, int workers, int ops, Duration max, AtomicBoolean stop)
        throws Exception {
      List<String> names = List.copyOf(customers.accounts().keySet());
      List<String> placed = java.util.Collections.synchronizedList(new ArrayList<>());
      Map<String, String> ownerOf = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.concurrent.atomic.AtomicInteger failures =
          new java.util.concurrent.atomic.AtomicInteger();
      long deadline = System.nanoTime() + max.toNanos();
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        java.util.Random random = new java.util.Random(w);
        tasks.add(
            () -> {
              for (int op = 0; op < ops && System.nanoTime() < deadline && !stop.get(); op++) {
                String customer = names.get(random.nextInt(names.size()));
                String token = customers.tokens().get(customer);
                String account = customers.accounts().get(customer);
                int dice = random.nextInt(10);
                HttpResponse<String> response;
                if (dice < 6) {
                  response =
                      keyedWithRetries(
                          "/api/orders",
                          token,
                          GatewayCalls.orderBody(customer, account, 500 + random.nextInt(4_000)));
                  if (response.statusCode() == 201 || response.statusCode() == 202) {
                    String id = JSON.readTree(response.body()).get("id").asString();
                    placed.add(id);
                    ownerOf.put(id, customer);
                  }
                } else if (dice < 8 && !placed.isEmpty()) {
                  String id = placed.get(random.nextInt(placed.size()));
                  response =
                      keyedWithRetries(
                          "/api/orders/" + id + "/cancel",
                          customers.tokens().get(ownerOf.get(id)),
                          "");
                  if (response.statusCode() == 409) {
                    continue; // already rejected or cancelled: nothing to cancel
                  }
                } else {
                  response =
                      keyedWithRetries(
                          "/api/accounts/" + account + "/deposits",
                          token,
                          "{\"amountCents\":1000}");
                }
                if (response.statusCode() >= 500) {
                  failures.incrementAndGet();
                }
              }
              return null;
            });
      }
      try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
        for (Future<Void> f : pool.invokeAll(tasks)) {
          f.get();
        }
      }
      return new Load(List.copyOf(placed), failures.get());
    }
  }

  /** Every acknowledged order exists, and every saga ends terminal within a minute. */
  private static void awaitSettled(List<String> placed) throws Exception {
    long settleBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> open = List.of("?");
    while (!open.isEmpty() && System.nanoTime() < settleBy) {
      open = new ArrayList<>();
      for (String id : placed) {
        HttpResponse<String> order = gateway.get("/api/orders/" + id, adminToken);
        assertThat(order.statusCode()).as("acknowledged order " + id).isEqualTo(200);
        String status = JSON.readTree(order.body()).get("status").asString();
        if (!List.of("CONFIRMED", "REJECTED", "CANCELLED").contains(status)) {
          open.add(id + "=" + status);
        }
      }
      if (!open.isEmpty()) {
        Thread.sleep(500);
      }
    }
    assertThat(open).as("sagas still running a minute after the load").isEmpty();
  }

  private static SuiteObserver observer() throws Exception {
    LocalSuite local =
        new LocalSuite(
            new SuiteHome(SUITE_HOME, Path.of(System.getProperty("suite.repo"))),
            new SuitePorts(OFFSET));
    return new SuiteObserver(local, new Gateway(URI.create(GATEWAY)), adminToken);
  }

  /** A client that retries a keyed POST (same key) while told 409 in use or 503 not now. */
  private static HttpResponse<String> keyedWithRetries(String path, String token, String body)
      throws Exception {
    String key = "load-" + UUID.randomUUID();
    HttpResponse<String> response = gateway.post(path, token, body, key);
    for (int retry = 0;
        retry < 10
            && (response.statusCode() == 503
                || (response.statusCode() == 409
                    && response.body().contains("idempotency-key-in-use")));
        retry++) {
      Thread.sleep(300);
      response = gateway.post(path, token, body, key);
    }
    return response;
  }

  /**
   * Orders go by bounded-load hashing on the customer: alice's reads stay on one instance. Killing
   * that instance is invisible to her within seconds, and her reads then stay on the other.
   */
  @Test
  @Order(7)
  void killingTheInstanceACustomerIsPinnedToMovesHerAndIsInvisibleWithinSeconds() throws Exception {
    java.util.Set<String> servedBy = new java.util.HashSet<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> read = gateway.get(MISSING_ORDER, customerToken);
      assertThat(read.statusCode()).isEqualTo(404);
      servedBy.add(read.headers().firstValue("Served-By").orElseThrow());
    }
    assertThat(servedBy).hasSize(1);
    String home = servedBy.iterator().next();
    assertThat(home).matches("order-service-[12]");
    assertThat(suite.ok(Duration.ofMinutes(1), "kill", home)).contains("SIGKILL");
    // 100 requests, 100 ms apart: about ten seconds after the kill
    GatewayCalls.Probe probe =
        gateway.probe(MISSING_ORDER, customerToken, 404, 100, Duration.ofMillis(100));
    System.out.printf("after kill %s: %s%n", home, probe);
    // Every request after the first couple of seconds succeeded, without restarting anything.
    assertThat(probe.lastFailure()).isLessThan(30);
    assertThat(probe.failures()).isLessThanOrEqualTo(5);
    String other = home.equals("order-service-1") ? "order-service-2" : "order-service-1";
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get(MISSING_ORDER, customerToken).headers().firstValue("Served-By"))
          .hasValue(other);
    }
    suite.ok(Duration.ofMinutes(3), "start", home); // whole again for what follows
    // Started again, it maps its build's class-data archive (made when the suite came up).
    long pid =
        JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"))
            .valueStream()
            .filter(row -> row.get("name").asString().equals(home))
            .findFirst()
            .orElseThrow()
            .get("pid")
            .asLong();
    assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).orElseThrow())
        .anySatisfy(arg -> assertThat(arg).startsWith("-XX:SharedArchiveFile="));
  }

  @Test
  @Order(8)
  void killingAShardPrimaryPromotesItsReplicaAndTheOldPrimaryRejoinsAsReplica() throws Exception {
    String account = gateway.keyOnShard("acc-e2e-", 0, customerToken);
    // The router repairs shards only under its lock-service lease (and fences with its token).
    HttpResponse<String> routerLease = gateway.get("/api/locks/shard-router-leader", adminToken);
    assertThat(routerLease.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(routerLease.body()).get("holder").asString())
        .isEqualTo("shard-router-1");
    JsonNode before = JSON.readTree(gateway.get("/api/shards", customerToken).body());
    String replica = before.get("shards").get(0).get("replicas").get(0).asString();

    assertThat(suite.ok(Duration.ofMinutes(1), "kill", "pg-shard-0-primary")).contains("SIGKILL");
    long killed = System.nanoTime();
    try {
      // Failed over: the topology names the replica as primary (the router's decision, under its
      // lease), and reads of the latest data on shard 0, which go to its primary, are served
      // again. A read alone does not say it: one may still reach a backend of the killed primary
      // that has not yet noticed its postmaster is gone.
      JsonNode after =
          gateway.awaitShards(
              shards -> primaryOf(shards, 0).equals(replica),
              customerToken,
              Duration.ofSeconds(30));
      HttpResponse<String> read =
          gateway.awaitStatus(
              "/api/accounts/" + account, customerToken, 404, Duration.ofSeconds(30));
      double seconds = (System.nanoTime() - killed) / 1e9;
      System.out.printf("after kill pg-shard-0-primary: shard 0 served again in %.1f s%n", seconds);
      ProblemAssert.assertProblem(read, "account-not-found");
      assertThat(after.get("epoch").asLong()).isGreaterThan(before.get("epoch").asLong());
      assertThat(primaryOf(after, 0)).isEqualTo(replica);
      assertThat(seconds).isLessThan(10);
    } finally {
      // Started again, the old primary comes back as a replica of its successor (pg_rewind), and
      // the shard is promotable again once it is in sync; also when an assertion above failed, so
      // the drills that follow find the suite whole.
      suite.ok(Duration.ofMinutes(2), "start", "pg-shard-0-primary");
    }
    assertThat(
            gateway
                .awaitShardSync(0, customerToken, Duration.ofSeconds(60))
                .get("state")
                .asString())
        .isEqualTo("SYNC");
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    for (JsonNode row : rows) {
      if (row.get("name").asString().equals("pg-shard-0-primary")) {
        assertThat(row.get("role").asString()).isEqualTo("replica");
      }
    }
  }

  /**
   * Online resharding as an operator does it, under a load of orders, cancels and deposits: {@code
   * bin/suite shards add} starts a third shard and moves a third of the slots to it, while the
   * router is killed in the middle of a cutover (the source already refuses the slots, the topology
   * still names it) and started again; the job resumes. Then {@code shards remove} drains the shard
   * and deletes it. Every acknowledged order is found, every saga ends, and the drill's money
   * checks hold on every shard, before and after.
   */
  @Test
  @Order(9)
  void aShardAddedUnderLoadWithTheRouterKilledMidCutoverAndRemovedAgainLosesNothing()
      throws Exception {
    // Armed in the router's environment: it halts at its second cutover's worst moment.
    Cli armed = Cli.suite(REPO, Map.of("FAULTLINE_FAILPOINTS", "reshard.source-gone=crash@2"));
    armed.ok(Duration.ofMinutes(2), "restart", "shard-router");
    Customers customers = customers(4, 50_000);
    AtomicBoolean stop = new AtomicBoolean();
    try (ExecutorService background = Executors.newFixedThreadPool(2)) {
      Future<Load> load =
          background.submit(() -> Load.run(customers, 6, 400, Duration.ofMinutes(6), stop));
      Future<Commands.Result> added =
          background.submit(() -> suite.run(Duration.ofMinutes(8), "shards", "add"));
      // The router dies at the failpoint; started again (unarmed), it resumes the job.
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (routerRunning() && System.nanoTime() < deadline && !added.isDone()) {
        Thread.sleep(200);
      }
      assertThat(added.isDone()).as("the router crashed before the move ended").isFalse();
      assertThat(routerRunning()).as("the router halted at the failpoint").isFalse();
      suite.ok(Duration.ofMinutes(3), "start", "shard-router");
      Commands.Result result = added.get();
      System.out.println(result.output());
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("DONE");
      stop.set(true);
      Load done = load.get();
      System.out.printf(
          "resharding under load: %d orders placed, %d 5xx after retries%n",
          done.placed().size(), done.failures());
      assertThat(done.placed()).isNotEmpty();
      awaitSettled(done.placed());
    }
    JsonNode shards = JSON.readTree(gateway.get("/api/shards", adminToken).body());
    assertThat(shards.get("shards")).hasSize(3);
    assertThat(shards.get("shards").get(2).get("slots").asInt()).isEqualTo(16384 / 3);
    assertThat(moneyViolations(customers)).isEmpty();
    assertThat(processNames()).contains("pg-shard-2-primary", "pg-shard-2-replica");

    String removed = suite.ok(Duration.ofMinutes(8), "shards", "remove", "2");
    System.out.println(removed);
    shards = JSON.readTree(gateway.get("/api/shards", adminToken).body());
    assertThat(shards.get("shards")).hasSize(2);
    assertThat(moneyViolations(customers)).isEmpty();
    assertThat(processNames()).doesNotContain("pg-shard-2-primary", "pg-shard-2-replica");
    assertThat(SUITE_HOME.resolve("pg").resolve("pg-shard-2-primary")).doesNotExist();

    // The placement check sees a copy: one order planted on the other shard is reported.
    LocalSuite local =
        new LocalSuite(
            new SuiteHome(SUITE_HOME, Path.of(System.getProperty("suite.repo"))),
            new SuitePorts(OFFSET));
    String from = primaryOf(shards, 0);
    String to = primaryOf(shards, 1);
    String planted;
    String row;
    try (java.sql.Connection source = local.database(from);
        var s = source.createStatement();
        var rs = s.executeQuery("select id, row_to_json(o)::text from orders.orders o limit 1")) {
      assertThat(rs.next()).as("shard 0 holds orders").isTrue();
      planted = rs.getString(1);
      row = rs.getString(2);
    }
    try (java.sql.Connection target = local.database(to)) {
      try (var insert =
          target.prepareStatement(
              "insert into orders.orders select * from json_populate_record(null::orders.orders,"
                  + " ?::json)")) {
        insert.setString(1, row);
        insert.executeUpdate();
      }
      try {
        assertThat(moneyViolations(customers))
            .singleElement()
            .satisfies(
                v -> {
                  assertThat(v.check()).isEqualTo(Checker.PLACEMENT);
                  assertThat(v.detail()).contains("order " + planted).contains("[0, 1]");
                });
      } finally {
        try (var delete = target.prepareStatement("delete from orders.orders where id = ?")) {
          delete.setObject(1, java.util.UUID.fromString(planted));
          delete.executeUpdate();
        }
      }
    }
    assertThat(moneyViolations(customers)).isEmpty();
  }

  private static List<String> processNames() throws Exception {
    List<String> names = new ArrayList<>();
    for (JsonNode row : JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"))) {
      names.add(row.get("name").asString());
    }
    return names;
  }

  private static boolean routerRunning() throws Exception {
    for (JsonNode row : JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"))) {
      if (row.get("name").asString().equals("shard-router-1")) {
        return row.get("pid").isNumber();
      }
    }
    return false;
  }

  private static List<Violation> moneyViolations(Customers customers) throws Exception {
    Observed observed =
        observer()
            .observe(new History(List.of()), customers.accounts().values(), "-", Instant.now());
    return Checker.check(new History(List.of()), observed, Duration.ofSeconds(60));
  }

  private static String primaryOf(JsonNode shards, int shard) {
    return shards.get("shards").get(shard).get("primary").asString();
  }

  @Test
  @Order(10)
  void aChaosDrillKillingEveryKindOfProcessWhileAShardIsAddedAndRemovedPasses() throws Exception {
    // The drill as a user runs it: one of each kind the issue names is killed under load (the
    // schedule hits every chosen group once per round, in seeded order), while a third shard is
    // added (at 100 s) and removed again (at 200 s); then the checker rules, the placement check
    // included: every key on exactly one shard.
    Commands.Result drill =
        suite.run(
            Duration.ofMinutes(14),
            "drill",
            "--duration",
            "5m",
            "--faults",
            "order-service,payment-service,lock-service,pg,zk",
            "--seed",
            "7",
            "--reshard");
    JsonNode report = Drills.assertPassedStrikingEveryKind(drill, SUITE_HOME, 7, "local");
    Path dir = Drills.find(SUITE_HOME, 7, "local");
    assertThat(report.get("checks").propertyNames()).contains(Checker.PLACEMENT, Checker.RESHARD);
    assertThat(report.get("reshard").valueStream())
        .extracting(step -> step.get("kind").asString() + " " + step.get("error").isNull())
        .containsExactly("add true", "remove true");
    assertThat(drill.output()).contains("drill: PASS 7 checks");
    JsonNode shards = JSON.readTree(gateway.get("/api/shards", adminToken).body());
    assertThat(shards.get("shards")).hasSize(2);
    assertThat(processNames()).doesNotContain("pg-shard-2-primary", "pg-shard-2-replica");
    assertThat(report.get("analysis").get("totals").get("ok").asLong()).isGreaterThan(500);
    assertThat(java.nio.file.Files.readString(dir.resolve("report.html")))
        .contains("drill: PASS")
        .contains("<svg");
    assertThat(HistoryLog.read(dir.resolve("history.jsonl")).faults())
        .extracting(Event.Fault::action)
        .contains("kill", "start", "healthy", "steady");
    // The SLO section, read from the suite's Prometheus: every SLO with its burn over the drill.
    JsonNode slo = report.get("slo");
    assertThat(slo.get("note").isNull()).as(slo.toString()).isTrue();
    assertThat(slo.get("slos")).hasSize(SloFile.of(REPO).slos().size());
    int points = 0;
    for (JsonNode result : slo.get("slos")) {
      points += result.get("burn").size();
    }
    assertThat(points).isGreaterThan(12 * 10);
    assertThat(java.nio.file.Files.readString(dir.resolve("report.html")))
        .contains("Burn rate over time", "Alerts during the drill");
  }

  @Test
  @Order(11)
  void aChaosDrillCuttingOffEveryKindOfProcessPasses() throws Exception {
    // Partitions need root (iptables, cgroups); so does the CI machine's run.
    assumeThat(LoopbackPartition.unavailable()).isEmpty();
    // Each group in turn cut off from every other process for 8-14 s and healed: a primary while
    // the router promotes its replica (it must not acknowledge writes alone, and rejoins as a
    // replica), a ZooKeeper peer, a lock service that loses its session, the router, a service
    // holding leases; the same checks as for kills.
    Commands.Result drill =
        suite.run(
            Duration.ofMinutes(12),
            "drill",
            "--duration",
            "4m",
            "--faults",
            "partition",
            "--seed",
            "11");
    JsonNode report = Drills.assertPassedStrikingEveryKind(drill, SUITE_HOME, 11, "local");
    assertThat(report.get("faults").valueStream())
        .allMatch(f -> f.get("action").asString().equals("PARTITION"));
    assertThat(
            HistoryLog.read(Drills.find(SUITE_HOME, 11, "local").resolve("history.jsonl")).faults())
        .extracting(Event.Fault::action)
        .contains("partition", "heal", "steady")
        .doesNotContain("kill");
    // Nothing of the partitions is left: no rule in the suite's chain.
    assertThat(
            Commands.run(
                    List.of("iptables", "-w", "-S", "FAULTLINE-" + OFFSET),
                    REPO,
                    Map.of(),
                    Duration.ofSeconds(10))
                .output())
        .doesNotContain("DROP");
  }

  /**
   * Every page of the concept tour (docs/concepts) as a reader runs it: each page's {@code bash
   * tour} blocks in one shell, each block's output showing what the page says it shows. Last before
   * {@code down}: a page's Break-it runs the suite with a protection off for a while (and then
   * restores it), which must not spend the error budgets that the SLO tests before it watch.
   */
  @Test
  @Order(14)
  void everyPageOfTheConceptTourRunsAsWritten() throws Exception {
    List<Path> pages;
    try (var files = Files.list(REPO.resolve("docs/concepts"))) {
      pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    assertThat(pages).isNotEmpty();
    var softly = new SoftAssertions();
    for (Path file : pages) {
      TourPage page = TourPage.read(file);
      String script = TourScript.of(page, TourScript.shiftPorts(OFFSET));
      var run =
          Commands.run(
              List.of("bash", "-c", script),
              REPO,
              Map.of(
                  "SUITE_HOME", SUITE_HOME.toString(),
                  "SUITE_PORT_OFFSET", Integer.toString(OFFSET)),
              Duration.ofMinutes(10));
      String printed = run.output();
      System.out.println("tour " + file.getFileName() + ":\n" + printed);
      softly
          .assertThat(TourScript.check(page, printed, run.exitCode()))
          .as(file.getFileName().toString())
          .isEmpty();
    }
    softly.assertAll();
  }

  @Test
  @Order(12)
  void afterLoadOfEveryKindAndKillsEveryDashboardPanelAndRecordingRuleHasData() throws Exception {
    Prometheus prometheus = new Prometheus(URI.create(PROMETHEUS));
    Instant now = Instant.now();
    List<String> empty = new ArrayList<>();
    int queries = 0;
    for (Dashboard dashboard : Dashboard.all(REPO)) {
      for (Dashboard.Panel panel : dashboard.panels()) {
        for (Dashboard.Target target : panel.targets()) {
          queries++;
          // As Grafana sends it with every variable at All, over the last 15 minutes.
          String expr = Dashboard.substitute(target.expr(), "1m", "15m");
          if (prometheus.query(expr, now).isEmpty()) {
            empty.add(
                dashboard.file() + " / " + panel.title() + " / " + target.refId() + ": " + expr);
          }
        }
      }
    }
    assertThat(queries).isGreaterThan(40);
    assertThat(empty).as("panels whose query returned no data").isEmpty();

    List<String> missing = new ArrayList<>();
    int rules = 0;
    for (Path file : Generated.ruleFiles(REPO)) {
      Map<String, Object> groups =
          new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(file));
      for (Object group : (List<?>) groups.get("groups")) {
        for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
          Map<?, ?> r = (Map<?, ?>) rule;
          if (r.get("record") == null) {
            continue;
          }
          rules++;
          Map<?, ?> labels = (Map<?, ?>) r.get("labels");
          String series = r.get("record") + "{slo=\"" + labels.get("slo") + "\"}";
          if (prometheus.query(series, now).isEmpty()) {
            missing.add(series);
          }
        }
      }
    }
    assertThat(rules).isGreaterThan(100);
    assertThat(missing).as("recording rules without a series").isEmpty();
  }

  @Test
  @Order(13)
  void anOutageOfOrderPlacementPagesAndThePageResolvesOnceItIsOver() throws Exception {
    // The page condition with minutes-long windows (the real 1h/5m ones are promtool's to prove).
    Slo slo = SloFile.of(REPO).slo("place-order-availability");
    Path live = SUITE_HOME.resolve("prometheus/rules.d/live-page.yml");
    java.nio.file.Files.writeString(live, RuleFile.livePage(slo, "1m", "20s", "10s"));
    Prometheus prometheus = new Prometheus(URI.create(PROMETHEUS));
    reloadPrometheus();
    // Orders that succeed once the services are back: a funded account of alice's.
    outageAccount = gateway.openAccount("alice", customerToken, 1_000_000);
    String alert = "ALERTS{alertname=\"SLOBurnRatePageLive\",alertstate=\"firing\"}";

    // Both order-service instances down: every placement is a 503 from the gateway.
    suite.ok(Duration.ofMinutes(1), "kill", "order-service-1");
    suite.ok(Duration.ofMinutes(1), "kill", "order-service-2");
    long outage = System.nanoTime();
    Duration toFire = placeOrdersUntil(prometheus, alert, true, Duration.ofMinutes(3));
    System.out.printf(
        "order placement outage: the live page fired after %.0f s%n", toFire.toMillis() / 1e3);

    suite.ok(Duration.ofMinutes(3), "start", "order-service-1");
    suite.ok(Duration.ofMinutes(3), "start", "order-service-2");
    Duration toResolve = placeOrdersUntil(prometheus, alert, false, Duration.ofMinutes(4));
    System.out.printf(
        "order placement back: the live page resolved %.0f s later (%.0f s after the outage began)%n",
        toResolve.toMillis() / 1e3, (System.nanoTime() - outage) / 1e9);
    java.nio.file.Files.delete(live);
    reloadPrometheus();
  }

  private static String outageAccount;

  /** Prometheus rereads its rule files ({@code --web.enable-lifecycle}). */
  private static void reloadPrometheus() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(URI.create(PROMETHEUS + "/-/reload"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** Places orders, 4 a second, until the alert query has a series (or none); how long it took. */
  private static Duration placeOrdersUntil(
      Prometheus prometheus, String alert, boolean firing, Duration limit) throws Exception {
    long start = System.nanoTime();
    String body = GatewayCalls.orderBody("alice", outageAccount, 1);
    int sent = 0;
    while (System.nanoTime() - start < limit.toNanos()) {
      gateway.post("/api/orders", customerToken, body, UUID.randomUUID().toString());
      if (++sent % 8 == 0 && prometheus.query(alert, Instant.now()).isEmpty() != firing) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the live page did not "
            + (firing ? "fire" : "resolve")
            + " within "
            + limit
            + " ("
            + sent
            + " orders)");
  }

  @Test
  @Order(15)
  void downLeavesNoProcessBehind() throws Exception {
    suite.ok(Duration.ofMinutes(3), "down");
    List<Long> alive =
        pidsWhileUp.stream().filter(pid -> ProcessHandle.of(pid).isPresent()).toList();
    assertThat(alive).isEmpty();
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    for (JsonNode row : rows) {
      assertThat(row.get("pid").isNull()).as(row.get("name").asString()).isTrue();
    }
  }

  private static List<String> roles(JsonNode rows) {
    List<String> roles = new ArrayList<>();
    rows.forEach(r -> roles.add(r.get("role").asString()));
    return roles;
  }
}
