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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The lock API's contract against a real ZooKeeper, over HTTP with real tokens. */
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LockApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;

  Http http;
  String lock;
  String alice = TestTokens.customer("alice");
  String bob = TestTokens.customer("bob");

  /** To look at the lease nodes the API leaves behind. */
  @Autowired CuratorFramework zk;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
    lock = "lock-" + UUID.randomUUID();
  }

  private HttpResponse<String> acquire(String token, String holder, long ttlMs, long waitMs) {
    return http.post(
        "/api/locks/" + lock + "/acquire",
        token,
        "{\"holder\":\"%s\",\"ttlMs\":%d,\"waitMs\":%d}".formatted(holder, ttlMs, waitMs));
  }

  private HttpResponse<String> lease(String action, String token, String leaseId) {
    return http.post(
        "/api/locks/" + lock + "/" + action, token, "{\"leaseId\":\"" + leaseId + "\"}");
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static String type(HttpResponse<String> response) {
    return json(response).get("type").asString();
  }

  /**
   * The services' own locks guard balances and failover: a customer who could take {@code
   * account-<id>} would freeze that account. Each is one service's alone, and a customer's lease is
   * short; every refusal leaves no lease behind.
   */
  @Test
  void theServicesLockNamesAreTheirsAndACustomersLeaseIsShort() throws Exception {
    String body = "{\"holder\":\"h\",\"ttlMs\":8000,\"waitMs\":0}";
    for (String name :
        List.of("account-acc-1", "order-saga-recovery-shard-0", "shard-router-leader")) {
      HttpResponse<String> taken = http.post("/api/locks/" + name + "/acquire", alice, body);
      assertProblem(taken, 403, "lock-reserved");
      assertProblem(http.get("/api/locks/" + name, alice), 403, "lock-reserved");
      assertThat(zk.checkExists().forPath("/faultline/locks/" + name + "/lease")).isNull();
    }
    // Each name is one service's: its own token takes it, another service's token does not, and a
    // service's token takes no name outside its own (a leaked one cannot touch customers' locks).
    for (String name :
        List.of("account-acc-2", "order-saga-recovery-shard-9", "shard-router-leader-" + lock)) {
      String owner =
          name.startsWith("account-")
              ? "payment-service"
              : name.startsWith("order-saga-") ? "order-service" : "shard-router";
      String other = owner.equals("order-service") ? "payment-service" : "order-service";
      assertProblem(
          http.post("/api/locks/" + name + "/acquire", TestTokens.service(other), body),
          403,
          "lock-reserved");
      String token = TestTokens.service(owner);
      HttpResponse<String> taken = http.post("/api/locks/" + name + "/acquire", token, body);
      assertThat(taken.statusCode()).as(name).isEqualTo(200);
      assertThat(http.get("/api/locks/" + name, token).statusCode()).isEqualTo(200);
      assertThat(
              http.post(
                      "/api/locks/" + name + "/release",
                      token,
                      "{\"leaseId\":\"" + json(taken).get("leaseId").asString() + "\"}")
                  .statusCode())
          .isEqualTo(204);
    }
    assertProblem(
        http.post("/api/locks/" + lock + "/acquire", TestTokens.service("payment-service"), body),
        403,
        "lock-reserved");
    // Operators may take any name, to inspect or break things on purpose.
    String admin = TestTokens.admin();
    HttpResponse<String> operator = http.post("/api/locks/account-acc-3/acquire", admin, body);
    assertThat(operator.statusCode()).isEqualTo(200);
    http.post(
        "/api/locks/account-acc-3/release",
        admin,
        "{\"leaseId\":\"" + json(operator).get("leaseId").asString() + "\"}");

    assertProblem(acquire(alice, "long", 60_001, 0), 400, "lease-too-long");
    assertThat(zk.checkExists().forPath("/faultline/locks/" + lock + "/lease")).isNull();
    assertThat(acquire(alice, "long", 60_000, 0).statusCode()).isEqualTo(200);
    assertThat(
            http.post(
                    "/api/locks/other-" + lock + "/acquire", admin, body.replace("8000", "600000"))
                .statusCode())
        .isEqualTo(200);
  }

  /**
   * A waiter whose instance was killed stays in the queue until its session expires, and never
   * takes the lock. A free lock is still granted: at once without a wait, at the end of the wait
   * otherwise; 409 only while it is held.
   */
  @Test
  void aGhostWaiterAheadInTheQueueDoesNotMakeAFreeLockBusy() throws Exception {
    zk.create()
        .creatingParentContainersIfNeeded()
        .withMode(org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/faultline/locks/" + lock + "/queue/w-");

    HttpResponse<String> now = acquire(alice, "no-wait", 5_000, 0);
    assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
    lease("release", alice, json(now).get("leaseId").asString());

    HttpResponse<String> waited = acquire(bob, "waiting", 5_000, 500);
    assertThat(waited.statusCode()).as(waited.body()).isEqualTo(200);
    assertProblem(acquire(alice, "late", 5_000, 200), 409, "lock-held");
  }

  /** A holder is a name people read in logs and answers: no controls or format characters. */
  @Test
  void aHolderWithControlOrFormatCharactersIsRefused() throws Exception {
    for (String holder : List.of("a\\u0000b", "line\\nforged", "evil\\u202etxt.exe")) {
      HttpResponse<String> refused =
          http.post(
              "/api/locks/" + lock + "/acquire",
              alice,
              "{\"holder\":\"" + holder + "\",\"ttlMs\":1000}");
      assertProblem(refused, 400, "bad-request");
    }
    assertThat(zk.checkExists().forPath("/faultline/locks/" + lock + "/lease")).isNull();
    assertThat(acquire(alice, "Zoë 日本 worker-1", 1000, 0).statusCode()).isEqualTo(200);
  }

  @Test
  void aLeaseLivesFromAcquireThroughRenewalsToRelease() {
    HttpResponse<String> granted = acquire(alice, "worker-1", 10_000, 0);
    assertThat(granted.statusCode()).isEqualTo(200);
    JsonNode lease = json(granted);
    String leaseId = lease.get("leaseId").asString();
    long token = lease.get("fencingToken").asLong();
    assertThat(lease.get("holder").asString()).isEqualTo("worker-1");
    assertThat(lease.get("ttlMs").asLong()).isEqualTo(10_000);

    HttpResponse<String> held = acquire(bob, "worker-2", 10_000, 0);
    assertThat(held.statusCode()).isEqualTo(409);
    assertThat(type(held)).isEqualTo("urn:faultline:problem:lock-held");
    // A retried acquire by the holder gets its own lease back.
    assertThat(json(acquire(alice, "worker-1", 10_000, 0)).get("leaseId").asString())
        .isEqualTo(leaseId);

    HttpResponse<String> renewed = lease("renew", alice, leaseId);
    assertThat(renewed.statusCode()).isEqualTo(200);
    assertThat(json(renewed).get("fencingToken").asLong()).isEqualTo(token);
    assertThat(json(http.get("/api/locks/" + lock, bob)).get("holder").asString())
        .isEqualTo("worker-1");
    // Someone else's lease ID is not yours to renew or release.
    assertThat(lease("release", bob, leaseId).statusCode()).isEqualTo(410);

    assertThat(lease("release", alice, leaseId).statusCode()).isEqualTo(204);
    assertThat(lease("release", alice, leaseId).statusCode()).isEqualTo(410);
    HttpResponse<String> gone = lease("renew", alice, leaseId);
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(type(gone)).isEqualTo("urn:faultline:problem:lease-gone");
    assertThat(http.get("/api/locks/" + lock, alice).statusCode()).isEqualTo(404);

    long next = json(acquire(bob, "worker-2", 10_000, 0)).get("fencingToken").asLong();
    assertThat(next).isGreaterThan(token);
  }

  @Test
  void anUnrenewedLeaseExpiresWithinItsTtlPlusASecond() {
    long ttl = 1_000;
    assertThat(acquire(alice, "sleepy", ttl, 0).statusCode()).isEqualTo(200);
    long started = System.nanoTime();

    HttpResponse<String> waited = acquire(bob, "patient", 10_000, 5_000);

    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(waited.statusCode()).isEqualTo(200);
    assertThat(seconds).isLessThan(ttl / 1000.0 + 1);
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    String first = json(acquire(alice, "first", 30_000, 0)).get("leaseId").asString();
    List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String holder = "waiter-" + i;
      waiters.add(CompletableFuture.supplyAsync(() -> acquire(bob, holder, 30_000, 20_000)));
      int queued = i + 1;
      await()
          .atMost(Duration.ofSeconds(5))
          // the queue node is made by the first waiter
          .ignoreException(org.apache.zookeeper.KeeperException.NoNodeException.class)
          .until(
              () ->
                  zk.getChildren().forPath("/faultline/locks/" + lock + "/queue").size() == queued);
    }

    List<String> order = new ArrayList<>();
    String leaseId = first;
    String token = alice;
    for (int i = 0; i < 3; i++) {
      assertThat(lease("release", token, leaseId).statusCode()).isEqualTo(204);
      HttpResponse<String> next = null;
      for (CompletableFuture<HttpResponse<String>> w : waiters) {
        if (w.isDone() && !order.contains(json(w.get()).get("holder").asString())) {
          next = w.get();
        }
      }
      if (next == null) {
        next =
            CompletableFuture.anyOf(
                    waiters.stream().filter(w -> !w.isDone()).toArray(CompletableFuture[]::new))
                .thenApply(r -> (HttpResponse<String>) r)
                .get();
      }
      order.add(json(next).get("holder").asString());
      leaseId = json(next).get("leaseId").asString();
      token = bob;
    }
    assertThat(order).containsExactly("waiter-0", "waiter-1", "waiter-2");
  }

  @Test
  void badRequestsAre400ProblemsAndChangeNothing() {
    assertThat(
            http.post("/api/locks/" + lock + "/acquire", alice, "{\"holder\":\"x\",\"ttlMs\":5}")
                .statusCode())
        .isEqualTo(400);
    assertThat(http.post("/api/locks/" + lock + "/acquire", alice, "{\"ttlMs\":5000}").statusCode())
        .isEqualTo(400);
    assertThat(http.post("/api/locks/" + lock + "/acquire", alice, "not json").statusCode())
        .isEqualTo(400);
    assertThat(lease("renew", alice, "not-a-lease").statusCode()).isEqualTo(400);
    HttpResponse<String> badName =
        http.post("/api/locks/bad%20name/acquire", alice, "{\"holder\":\"x\",\"ttlMs\":5000}");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(type(badName)).isEqualTo("urn:faultline:problem:invalid-lock-name");
    assertThat(http.get("/api/locks/" + lock, alice).statusCode()).isEqualTo(404);
    assertThat(http.post("/api/locks/" + lock + "/acquire", null, "{}").statusCode())
        .isEqualTo(401);
  }
}
