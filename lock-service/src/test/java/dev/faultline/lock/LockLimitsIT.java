package dev.faultline.lock;

import static dev.faultline.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A customer's leases are counted: at most {@code customer-max-leases} at once (3 here), exactly,
 * even when its acquires race; a released or expired lease frees its place; the services are not
 * counted.
 */
@WithZooKeeper
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "faultline.locks.customer-max-leases=3")
class LockLimitsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;

  Http http;
  String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
  }

  private HttpResponse<String> acquire(String token, String lock, long ttlMs) {
    return http.post(
        "/api/locks/" + run + "-" + lock + "/acquire",
        token,
        "{\"holder\":\"h\",\"ttlMs\":" + ttlMs + ",\"waitMs\":0}");
  }

  private HttpResponse<String> release(String token, String lock, HttpResponse<String> granted) {
    return http.post(
        "/api/locks/" + run + "-" + lock + "/release",
        token,
        "{\"leaseId\":\"" + JSON.readTree(granted.body()).get("leaseId").asString() + "\"}");
  }

  @Test
  void aCustomerHoldsAtMostItsLimitAndAReleaseOrAnExpiryFreesAPlace() throws Exception {
    String carol = TestTokens.customer("carol-" + run);
    HttpResponse<String> first = acquire(carol, "a", 30_000);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(acquire(carol, "b", 30_000).statusCode()).isEqualTo(200);
    assertThat(acquire(carol, "c", 500).statusCode()).isEqualTo(200);
    assertProblem(acquire(carol, "d", 30_000), 409, "lease-limit-reached");
    // The same lock again is a retried acquire, not a fourth lease.
    assertThat(acquire(carol, "a", 30_000).statusCode()).isEqualTo(200);

    assertThat(release(carol, "a", first).statusCode()).isEqualTo(204);
    assertThat(acquire(carol, "d", 30_000).statusCode()).isEqualTo(200);
    assertProblem(acquire(carol, "e", 30_000), 409, "lease-limit-reached");
    // "c" expires (500 ms): its place comes back without a release.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> acquire(carol, "e", 30_000).statusCode() == 200);

    // Another customer has its own count; the services have none.
    assertThat(acquire(TestTokens.customer("dave-" + run), "f", 30_000).statusCode())
        .isEqualTo(200);
    String service = TestTokens.service("payment-service");
    for (int i = 0; i < 5; i++) {
      assertThat(
              http.post(
                      "/api/locks/account-" + run + "-" + i + "/acquire",
                      service,
                      "{\"holder\":\"h\",\"ttlMs\":30000,\"waitMs\":0}")
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void racingAcquiresOfOneCustomerNeverExceedItsLimit() throws Exception {
    String erin = TestTokens.customer("erin-" + run);
    List<CompletableFuture<Integer>> racing = new ArrayList<>();
    List<Integer> statuses;
    try (ExecutorService threads = Executors.newFixedThreadPool(12)) {
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < 12; i++) {
        String lock = "race-" + i;
        racing.add(
            CompletableFuture.supplyAsync(
                () -> {
                  awaitQuietly(start);
                  return acquire(erin, lock, 30_000).statusCode();
                },
                threads));
      }
      start.countDown();
      statuses = racing.stream().map(CompletableFuture::join).toList();
    }
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(3);
    assertThat(statuses).filteredOn(s -> s != 200).containsOnly(409);
  }

  /**
   * One customer's threads racing for one lock, each as a holder of its own, acquire and release in
   * a loop: each acquire is granted or told the lock is busy, never a 503. (Both the lock node and
   * the customer's lease index move with every grant; a loser must see the lock as held, not retry
   * against the index until it gives up.)
   */
  @Test
  void oneCustomersThreadsRacingForOneLockAreGrantedOrToldItIsBusy() throws Exception {
    String frank = TestTokens.customer("frank-" + run);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> racing = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String holder = "h" + t;
        racing.add(
            threads.submit(
                () -> {
                  awaitQuietly(start);
                  for (int i = 0; i < 100; i++) {
                    HttpResponse<String> granted =
                        http.post(
                            "/api/locks/" + run + "-one/acquire",
                            frank,
                            "{\"holder\":\""
                                + holder
                                + "\",\"ttlMs\":30000,\"waitMs\":"
                                + (i % 2) * 10_000
                                + "}");
                    statuses.merge(granted.statusCode(), 1, Integer::sum);
                    if (granted.statusCode() == 200) {
                      assertThat(release(frank, "one", granted).statusCode()).isEqualTo(204);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : racing) {
        f.get();
      }
    }
    assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(200, 409);
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(800);
    assertThat(statuses.get(200)).isGreaterThan(8);
  }
}
