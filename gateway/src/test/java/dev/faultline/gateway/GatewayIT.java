package dev.faultline.gateway;

import static dev.faultline.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.Http;
import dev.faultline.testing.RawHttp;
import dev.faultline.testing.RawHttp.Framing;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway with real ZooKeeper discovery, routing to stand-in upstreams: authentication, problem
 * details, retries that are safe, and failing fast when a route is dead or failing.
 */
@WithZooKeeper
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // each route keeps its stubs
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CUSTOMER = TestTokens.customer("alice");

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  @Autowired Environment environment;
  @Autowired CuratorFramework zk;

  // Each test's stand-ins are closed after it.
  @RegisterExtension final StubServices stubs = new StubServices(Duration.ZERO);

  Http http;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
  }

  @Test
  @Order(1)
  void everyApiCallNeedsAValidTokenAndShardWritesNeedAdmin() throws Exception {
    HttpResponse<String> none = http.get("/api/orders/o-1", null);
    assertProblem(none, 401, "unauthorized");
    assertThat(http.get("/api/orders/o-1", TestTokens.forged("alice")).statusCode()).isEqualTo(401);

    HttpResponse<String> customer = http.post("/api/shards/0/failover", CUSTOMER, "{}");
    assertProblem(customer, 403, "forbidden");
    // Saga operations are for operators: refused at the edge, before any service sees them.
    assertThat(http.get("/api/sagas?stuck=true", CUSTOMER).statusCode()).isEqualTo(403);
    assertThat(http.post("/api/sagas/o-1/retry", CUSTOMER, "").statusCode()).isEqualTo(403);
    assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aRouteWithNoLiveInstanceFailsFastWith503ProblemAndRetryAfter() throws Exception {
    HttpResponse<String> response = http.get("/api/orders-none", CUSTOMER);
    assertThat(response.statusCode()).isEqualTo(404); // no route at all: not the same thing

    response = http.get("/api/payments/p-1", TestTokens.customer("bob"));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    assertProblem(response, "service-unavailable");
  }

  /**
   * Two registered instances are dead (SIGKILLed, their sessions not yet expired) and one is live.
   * Under concurrent load, round robin alone lets a request's three attempts land on dead ones;
   * here each retry goes to an instance the request has not tried, so every request is answered,
   * and the dead are ejected after two refusals each.
   */
  @Test
  @Order(3)
  void aRetryGoesToAnInstanceItHasNotTriedAndDeadInstancesAreEjected() throws Exception {
    StubService.registerDead(zk, "order-service", refusedPort());
    StubService.registerDead(zk, "order-service", refusedPort());
    StubService live = StubService.answering(zk, "order-service", () -> 200);
    stubs.add(live);

    int clients = 8;
    int rounds = 10;
    List<Future<List<HttpResponse<String>>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(
            pool.submit(
                () -> {
                  List<HttpResponse<String>> answers = new ArrayList<>();
                  for (int i = 0; i < rounds; i++) {
                    answers.add(http.get("/api/orders/o-" + client + "-" + i, CUSTOMER));
                    // A refused connection never delivered the request: retrying a POST is safe.
                    answers.add(http.post("/api/orders", CUSTOMER, "{}"));
                  }
                  return answers;
                }));
      }
    }
    String servedBy = "order-service@127.0.0.1:" + live.port();
    for (Future<List<HttpResponse<String>>> result : results) {
      for (HttpResponse<String> answer : result.get(60, TimeUnit.SECONDS)) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Served-By")).hasValue(servedBy);
      }
    }
    assertThat(live.hits.get()).isEqualTo(clients * rounds * 2); // each request reached it once
    // Both dead instances were ejected (an interval may have ended since: they come back on
    // probation and are ejected again).
    String metrics = http.get("/actuator/prometheus", null).body();
    Matcher ejections =
        Pattern.compile(
                "gateway_outliers_ejections_total\\{[^}]*service=\"order-service\"[^}]*} (\\S+)")
            .matcher(metrics);
    assertThat(ejections.find()).as(metrics).isTrue();
    assertThat(Double.parseDouble(ejections.group(1))).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(4)
  void anUnavailableAnswerIsRetriedOnlyWhenTheRequestIsSafeToRepeat() throws Exception {
    StubService busy = StubService.answering(zk, "shard-router", () -> 503);
    stubs.add(busy);
    String admin = TestTokens.admin();

    // A POST without an Idempotency-Key reached the service once; repeating it could apply twice.
    HttpResponse<String> post = http.post("/api/shards/0/failover", admin, "{}");
    assertThat(post.statusCode()).isEqualTo(503);
    assertThat(busy.hits.get()).isEqualTo(1);

    busy.hits.set(0);
    http.send(
        http.builder("/api/shards/0/failover", admin)
            .header("Idempotency-Key", "k-1")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(busy.hits.get()).isEqualTo(3); // the first attempt and two retries

    busy.hits.set(0);
    http.get("/api/shards", admin);
    assertThat(busy.hits.get()).isEqualTo(3);
  }

  @Test
  @Order(5)
  void aDeadRouteOpensItsCircuitAndThenFailsFastWithoutTryingIt() throws Exception {
    StubService.registerDead(zk, "lock-service", refusedPort());

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      statuses.add(http.get("/api/locks/l-" + i, CUSTOMER).statusCode());
    }
    HttpResponse<String> open = http.get("/api/locks/after", CUSTOMER);

    assertThat(statuses).containsOnly(503);
    assertThat(open.statusCode()).isEqualTo(503);
    assertThat(open.headers().firstValue("Retry-After")).hasValue("2");
    assertProblem(open, "service-unavailable");
    assertThat(JSON.readTree(open.body()).get("detail").asString()).contains("circuit is open");
  }

  @Test
  @Order(6)
  void aServicesOwnErrorAnswerReachesTheClientUntouched() throws Exception {
    StubService failing = StubService.answering(zk, "payment-service", () -> 500);
    stubs.add(failing);

    HttpResponse<String> response = http.post("/api/payments", CUSTOMER, "{}");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("served-by");
    assertThat(failing.hits.get()).isEqualTo(1); // a 500 is an answer: never retried
  }

  /**
   * What the gateway refuses before routing is a problem like any other answer: Netty's own 414 and
   * 431, the security firewall's 400, and a body over the limit (413, declared or streamed), none
   * of which reaches a service or counts against its route's circuit.
   */
  @Test
  @Order(7)
  void theGatewaysOwnRefusalsAreProblemsAndReachNoService() throws Exception {
    StubService payments = StubService.answering(zk, "payment-service", () -> 200);
    stubs.add(payments);
    // The load balancer's cache may still hold the previous test's instance for a second.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (http.get("/api/payments/p-1", CUSTOMER).statusCode() != 200
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    payments.hits.set(0);
    int port = environment.getRequiredProperty("local.server.port", Integer.class);
    String auth = "Authorization: Bearer " + CUSTOMER;
    byte[] none = new byte[0];

    String longPath = "/api/payments/" + "p".repeat(20_000);
    assertProblem(
        RawHttp.request(port, "GET " + longPath + " HTTP/1.1", none, auth), 414, "uri-too-long");
    assertProblem(
        RawHttp.request(
            port, "GET /api/payments/p-1 HTTP/1.1", none, auth, "X-Big: " + "b".repeat(20_000)),
        431,
        "header-fields-too-large");
    for (String path : List.of("/api//payments", "/api/payments/%2e%2e/x", "/api/payments;x=1")) {
      assertProblem(
          RawHttp.request(port, "GET " + path + " HTTP/1.1", none, auth), 400, "bad-request");
    }

    byte[] big = ("{\"pad\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    for (Framing framing : Framing.values()) {
      assertProblem(
          RawHttp.postJson(port, "/api/payments", big, framing, auth, "Idempotency-Key: k-big"),
          413,
          "content-too-large");
    }
    assertThat(payments.hits.get()).isZero();

    // A body within the limit still reaches the service, whole, chunked or not.
    byte[] small = "{\"pad\": \"ok\"}".getBytes(StandardCharsets.UTF_8);
    for (Framing framing : Framing.values()) {
      assertThat(
              RawHttp.postJson(port, "/api/payments", small, framing, auth, "Idempotency-Key: k")
                  .status())
          .isEqualTo(200);
    }
    assertThat(payments.hits.get()).isEqualTo(2);
  }

  @Test
  @Order(8)
  void everyServicesDocumentIsGatheredHereWithASwaggerUiForPeople() throws Exception {
    StubService router = StubService.answering(zk, "shard-router", () -> 200);
    stubs.add(router);
    // Public, as on the services: a document is no secret, and the UI fetches it without a token.
    HttpResponse<String> document = http.get("/api-docs/shard-router", null);
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(router.lastPath.get()).isEqualTo("/v3/api-docs");

    JsonNode config = JSON.readTree(http.get("/v3/api-docs/swagger-config", null).body());
    List<String> offered = new ArrayList<>();
    config
        .get("urls")
        .forEach(u -> offered.add(u.get("name").asString() + " " + u.get("url").asString()));
    assertThat(offered)
        .containsExactlyInAnyOrder(
            "order-service /api-docs/order-service",
            "payment-service /api-docs/payment-service",
            "lock-service /api-docs/lock-service",
            "shard-router /api-docs/shard-router");
    // Where a person goes: /swagger-ui.html, sent on to the UI, which loads that configuration.
    HttpResponse<String> entry = http.get("/swagger-ui.html", null);
    assertThat(entry.statusCode()).isEqualTo(302);
    assertThat(entry.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/swagger-ui/index.html"));
    HttpResponse<String> ui = http.get("/swagger-ui/index.html", null);
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).contains("swagger-ui");
    assertThat(http.get("/swagger-ui/swagger-initializer.js", null).body())
        .contains("/v3/api-docs/swagger-config");
  }

  /** A loopback port nobody listens on (bound, then closed). */
  private static int refusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
