package dev.faultline.gateway;

import static dev.faultline.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway's traffic management through real ZooKeeper discovery to stand-in instances: key
 * affinity that holds, moves when its instance dies and spills when it is full; a fast 503 when
 * every instance is full; outlier ejection for its interval; the retry budget under a total outage;
 * the per-caller rate limit. Limits are small here (2 requests per instance, a 20-request bucket)
 * so a test can fill them; each test uses its own service, so no test sees another's instances.
 */
@WithZooKeeper
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the retry budget first, while it is full
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "faultline.gateway.admission.limit.kind=fixed",
      "faultline.gateway.admission.limit.fixed=2",
      "faultline.gateway.admission.queue.max-queued=0",
      "faultline.gateway.rate-limit.requests-per-second=10",
      "faultline.gateway.rate-limit.burst=20",
      "faultline.gateway.retry-budget.ratio=0.2",
      "faultline.gateway.retry-budget.min-per-second=1",
      "faultline.gateway.retry-budget.window=10s",
      "faultline.gateway.outliers.base-ejection=3s"
    })
class GatewayTrafficIT {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;

  // The load balancer's cache (1 s) forgets each test's stubs before the next test routes.
  @RegisterExtension final StubServices stubs = new StubServices(Duration.ofMillis(1_500));

  Http http;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
  }

  /**
   * Orders go by bounded-load hashing on the customer: each customer's requests land on one
   * instance, customers spread over all three; when a customer's instance dies, its requests move
   * to one other instance and stay there, and no other customer moves.
   */
  @Test
  @Order(2)
  void aCustomersRequestsStayOnOneInstanceAndOnlyTheDeadInstancesCustomersMove() throws Exception {
    List<StubService> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(stubs.add(StubService.answering(zk, "order-service", () -> 200)));
    }
    awaitInstances("/api/orders/o-1", 3);

    Map<String, String> home = new HashMap<>();
    for (int c = 0; c < 24; c++) {
      String customer = "affinity-" + c;
      Set<String> servedBy = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        servedBy.add(servedBy(http.get("/api/orders/o-" + i, TestTokens.customer(customer))));
      }
      assertThat(servedBy).as(customer).hasSize(1);
      home.put(customer, servedBy.iterator().next());
    }
    assertThat(new HashSet<>(home.values())).hasSize(3);

    StubService dead = three.getFirst();
    String deadName = dead.name("order-service");
    dead.kill(); // its registration stays: discovery still lists it
    Map<String, String> after = new HashMap<>();
    for (var entry : home.entrySet()) {
      String token = TestTokens.customer(entry.getKey());
      Set<String> servedBy = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> answer = http.get("/api/orders/o-" + i, token);
        assertThat(answer.statusCode()).isEqualTo(200); // a refused attempt is retried elsewhere
        servedBy.add(servedBy(answer));
      }
      assertThat(servedBy).as(entry.getKey()).hasSize(1);
      after.put(entry.getKey(), servedBy.iterator().next());
    }
    home.forEach(
        (customer, was) -> {
          if (was.equals(deadName)) {
            assertThat(after.get(customer)).isNotEqualTo(deadName);
          } else {
            assertThat(after.get(customer)).as(customer).isEqualTo(was);
          }
        });
  }

  /**
   * Locks go by bounded-load hashing on the lock's name, with 2 requests per instance at most: a
   * lock's requests fill its home instance, then spill to the next one, and when both are full the
   * next request is refused at once with a 503 problem and Retry-After, while the others are still
   * held: nothing queues.
   */
  @Test
  @Order(3)
  void aKeySpillsWhenItsInstanceIsFullAndAFullServiceAnswers503AtOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    StubService a = stubs.add(StubService.holding(zk, "lock-service", gate));
    StubService b = stubs.add(StubService.holding(zk, "lock-service", gate));
    String token = TestTokens.customer("spill");
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(CompletableFuture.supplyAsync(() -> http.get("/api/locks/hot", token), clients));
        int sent = i + 1;
        awaitTrue(() -> a.hits.get() + b.hits.get() == sent);
      }
      // Two on the lock's home, then two on the next instance: each full at its limit.
      assertThat(List.of(a.hits.get(), b.hits.get())).containsExactlyInAnyOrder(2, 2);

      HttpResponse<String> refused = http.get("/api/locks/hot", token);
      assertProblem(refused, 503, "overloaded");
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(held).noneMatch(CompletableFuture::isDone); // refused while they are held
      assertThat(a.hits.get() + b.hits.get()).isEqualTo(4);
      assertThat(counter("gateway_rejections_total", "lock-service", "concurrency-limit"))
          .isGreaterThanOrEqualTo(1);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> answer : held) {
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    clients.close();
    // Slots came back: the lock's requests go home again.
    assertThat(http.get("/api/locks/hot", token).statusCode()).isEqualTo(200);
  }

  /**
   * Thirty requests at once to one route all reach its instances when their limits allow it: no
   * hidden bulkhead refuses the 26th (Spring Cloud CircuitBreaker's default one answered 502 past
   * 25 and opened the breaker).
   */
  @Test
  @Order(4)
  void manyConcurrentRequestsToOneRouteAreLimitedOnlyByTheInstancesLimits() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<StubService> instances = new ArrayList<>();
    for (int i = 0; i < 16; i++) { // 16 instances of 2 slots each here: room for 32
      instances.add(stubs.add(StubService.holding(zk, "payment-service", gate)));
    }
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < 30; i++) {
        String token = caller(i);
        held.add(
            CompletableFuture.supplyAsync(() -> http.get("/api/accounts/a-1", token), clients));
        if (i == 0) {
          // The first one brings the new instances to the gateway's notice (the door counts what
          // the balancer knows; it knew only the last test's instance).
          awaitTrue(() -> instances.stream().mapToInt(s -> s.hits.get()).sum() == 1);
        }
      }
      awaitTrue(() -> instances.stream().mapToInt(s -> s.hits.get()).sum() == 30);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> answer : held) {
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    clients.close();
  }

  /**
   * An instance that answers 500 twice in a row is out of rotation for the ejection interval (3 s
   * here): no request reaches it meanwhile, and after it one does (on probation).
   */
  @Test
  @Order(5)
  void anEjectedInstanceGetsNoTrafficUntilItsIntervalPasses() throws Exception {
    StubService broken = stubs.add(StubService.answering(zk, "shard-router", () -> 500));
    StubService healthy = stubs.add(StubService.answering(zk, "shard-router", () -> 200));
    // No other test routes here, so discovery is read afresh: both are listed from the start.
    for (int i = 0; i < 200 && broken.hits.get() < 2; i++) {
      http.get("/api/shards", caller(i));
    }
    assertThat(broken.hits.get()).isEqualTo(2);
    long ejectedAt = System.nanoTime();

    int during = 0;
    while (System.nanoTime() - ejectedAt < 2_000_000_000L) {
      assertThat(http.get("/api/shards", caller(during)).statusCode()).isEqualTo(200);
      during++;
    }
    assertThat(during).isGreaterThan(10);
    assertThat(broken.hits.get()).isEqualTo(2);

    Thread.sleep(Math.max(0, 3_500 - (System.nanoTime() - ejectedAt) / 1_000_000));
    for (int i = 0; i < 100 && broken.hits.get() == 2; i++) {
      http.get("/api/shards", caller(i));
    }
    assertThat(broken.hits.get()).isEqualTo(3); // back on probation, then out again
    assertThat(healthy.hits.get()).isGreaterThanOrEqualTo(during); // all of those went there
  }

  /**
   * Every instance answers 503 (a total outage): each GET is safe to retry, but retries may add
   * only a fifth of the requests plus one a second, so 100 requests cost at most 100 + 20 + 10
   * attempts, not 300.
   */
  @Test
  @Order(1)
  void theRetryBudgetStopsRetriesUnderATotalOutage() throws Exception {
    // The first test: nothing was routed to payment-service before, and its budget is full.
    StubService down = stubs.add(StubService.answering(zk, "payment-service", () -> 503));
    double refusedBefore = counter("gateway_rejections_total", "payment-service", "retry-budget");
    for (int i = 0; i < 100; i++) {
      assertThat(http.get("/api/payments/p-" + i, caller(i)).statusCode()).isEqualTo(503);
    }
    assertThat(down.hits.get()).isBetween(101, 131);
    assertThat(
            counter("gateway_rejections_total", "payment-service", "retry-budget") - refusedBefore)
        .isGreaterThanOrEqualTo(100 - 31);
  }

  /**
   * A caller past its bucket (20 at once, 10 a second here) gets 429 problems with Retry-After,
   * before anything reaches a service; another caller is not slowed by it.
   */
  @Test
  @Order(6)
  void aCallerPastItsRateGets429ProblemsAndOthersDoNot() throws Exception {
    StubService orders = stubs.add(StubService.answering(zk, "order-service", () -> 200));
    awaitInstances("/api/orders/o-1", 1);
    orders.hits.set(0);
    String greedy = TestTokens.customer("greedy");
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> answer = http.get("/api/orders/o-" + i, greedy);
      statuses.add(answer.statusCode());
      if (answer.statusCode() == 429) {
        limited = answer;
      }
    }
    assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(20L, 30L);
    assertThat(limited).isNotNull();
    assertProblem(limited, 429, "rate-limited");
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(http.get("/api/orders/o-1", TestTokens.customer("patient")).statusCode())
        .isEqualTo(200);
    assertThat(counter("gateway_rejections_total", "order-service", "rate-limit"))
        .isGreaterThanOrEqualTo(10);
    assertThat(orders.hits.get()).isLessThanOrEqualTo(31);
  }

  // --- helpers

  private static final Map<Integer, String> TOKENS = new ConcurrentHashMap<>();

  /** Many callers, so tests that send many requests stay under the per-caller rate limit. */
  private static String caller(int i) {
    return TOKENS.computeIfAbsent(i % 50, n -> TestTokens.customer("caller-" + n));
  }

  private static String servedBy(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.headers().firstValue("Served-By").orElseThrow();
  }

  /** Until the gateway's discovery cache lists {@code n} instances behind {@code path}. */
  private void awaitInstances(String path, int n) throws Exception {
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + 15_000_000_000L;
    int i = 0;
    while (seen.size() < n && System.nanoTime() < deadline) {
      HttpResponse<String> answer = http.get(path, caller(i++));
      if (answer.statusCode() == 200) { // not a previous test's instance, closed since
        answer.headers().firstValue("Served-By").ifPresent(seen::add);
      }
      if (seen.size() < n) {
        Thread.sleep(20);
      }
    }
    assertThat(seen).hasSize(n);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 15 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private double counter(String name, String service, String cause) {
    String metrics = http.get("/actuator/prometheus", null).body();
    Matcher m =
        Pattern.compile(
                name
                    + "\\{(?=[^}]*cause=\""
                    + cause
                    + "\")(?=[^}]*service=\""
                    + service
                    + "\")[^}]*} (\\S+)")
            .matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
