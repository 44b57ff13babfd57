package dev.faultline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.contract.PaymentIds;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.testing.Http;
import dev.faultline.testing.Json;
import dev.faultline.testing.ProblemAssert;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.SharedInfrastructure;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/**
 * order-service (here) against real PostgreSQL, ZooKeeper, the lock service and the payment service
 * (their own processes), called over HTTP with real tokens.
 */
@WithPostgres
@WithZooKeeper
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "faultline.saga.poll-interval=200ms")
class OrderApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADMIN = TestTokens.admin();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
    ServiceTestProperties.withLockService(registry::add, "order-service");
    SharedInfrastructure.service("payment-service");
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;
  @Autowired CuratorFramework zk;

  Http http;
  Http payments;
  String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
  String bobs;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
    payments = new Http(SharedInfrastructure.service("payment-service").uri().toString());
    bobs = openAccount(bob, "EUR", 5000);
  }

  // --- placing orders: the saga ---------------------------------------------------------------

  @Test
  void anOrderTheAccountCoversIsChargedAndConfirmedWithin201() throws Exception {
    HttpResponse<String> placed = place(bob, bobs, "EUR", 2, 625, UUID.randomUUID().toString());

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonNode order = JSON.readTree(placed.body());
    String id = order.get("id").asString();
    assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
    assertThat(order.get("totalCents").asLong()).isEqualTo(1250);
    assertThat(placed.headers().firstValue("Location")).hasValue("/api/orders/" + id);
    assertThat(statuses(order)).containsExactly("PENDING", "PAID", "CONFIRMED");

    JsonNode read = JSON.readTree(http.get("/api/orders/" + id, customer()).body());
    assertThat(read.get("items").get(0).get("sku").asString()).isEqualTo("sku-1");
    assertThat(statuses(read)).containsExactly("PENDING", "PAID", "CONFIRMED");
    assertThat(balance(bobs)).isEqualTo(3750);
    assertThat(payment(order).get("status").asString()).isEqualTo("CAPTURED");
  }

  @Test
  void anOrderTheAccountCannotCoverIsRejectedAndNothingMoves() throws Exception {
    HttpResponse<String> placed = place(bob, bobs, "EUR", 1, 9_999, UUID.randomUUID().toString());

    assertThat(placed.statusCode()).isEqualTo(201);
    JsonNode order = JSON.readTree(placed.body());
    assertThat(order.get("status").asString()).isEqualTo("REJECTED");
    assertThat(order.get("history").get(1).get("detail").asString())
        .isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(balance(bobs)).isEqualTo(5000);
  }

  @Test
  void anOrderMayChargeOnlyAnAccountItsCustomerOwnsInItsCurrency() throws Exception {
    String eves = openAccount("eve", "EUR", 5000);
    HttpResponse<String> notYours = place(bob, eves, "EUR", 1, 100, UUID.randomUUID().toString());
    assertThat(notYours.statusCode()).isEqualTo(403);
    HttpResponse<String> unknown =
        place(bob, "acc-none", "EUR", 1, 100, UUID.randomUUID().toString());
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(unknown)).isEqualTo("urn:faultline:problem:unknown-account");
    HttpResponse<String> currency = place(bob, bobs, "USD", 1, 100, UUID.randomUUID().toString());
    assertThat(currency.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(currency)).isEqualTo("urn:faultline:problem:currency-mismatch");
    assertThat(place("eve", eves, "EUR", 1, 100, UUID.randomUUID().toString()).statusCode())
        .as("bob's token placing eve's order")
        .isEqualTo(403);
    assertThat(orderCount(bob)).isZero();
    assertThat(balance(eves)).isEqualTo(5000);
  }

  // --- idempotency ----------------------------------------------------------------------------

  @Test
  void theIdempotencyTableHolds() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> missing =
        http.post("/api/orders", customer(), orderBody(bob, bobs, "EUR", 1, 100));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(ProblemAssert.type(missing))
        .isEqualTo("urn:faultline:problem:idempotency-key-missing");

    HttpResponse<String> first = place(bob, bobs, "EUR", 1, 100, key);
    HttpResponse<String> replay = place(bob, bobs, "EUR", 1, 100, key);
    HttpResponse<String> reused = place(bob, bobs, "EUR", 2, 100, key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(reused))
        .isEqualTo("urn:faultline:problem:idempotency-key-reused");
    // Keys are scoped to the caller: another customer's identical key is another request.
    String eve = "eve-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> evesOrder =
        http.keyed(
            "/api/orders",
            TestTokens.customer(eve),
            key,
            orderBody(eve, openAccount(eve, "EUR", 1000), "EUR", 3, 100));
    assertThat(evesOrder.statusCode()).as(evesOrder.body()).isEqualTo(201);
    assertThat(evesOrder.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(JSON.readTree(evesOrder.body()).get("customerId").asString()).isEqualTo(eve);
    assertThat(orderCount(bob)).isEqualTo(1);
    assertThat(balance(bobs)).isEqualTo(4900);
    assertThat(http.get("/actuator/prometheus", null).body())
        .containsPattern("idempotency_replays_total\\{[^}]*} [1-9]");
  }

  @Test
  void concurrentDuplicatesPlaceOneOrderAndChargeItOnce() throws Exception {
    String key = UUID.randomUUID().toString();
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(() -> place(bob, bobs, "EUR", 1, 300, key));
    }
    List<Integer> statuses = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        HttpResponse<String> response = f.get();
        statuses.add(response.statusCode());
        if (response.statusCode() < 300) {
          ids.add(JSON.readTree(response.body()).get("id").asString());
        }
      }
    }
    // 201 for the first and its replays, 409 for those that came while it ran: never two orders.
    assertThat(statuses).isSubsetOf(201, 202, 409).contains(201);
    assertThat(ids).hasSizeGreaterThan(0).allMatch(ids.get(0)::equals);
    assertThat(orderCount(bob)).isEqualTo(1);
    assertThat(balance(bobs)).isEqualTo(4700);
  }

  // --- cancelling: the compensation -----------------------------------------------------------

  @Test
  void cancellingAConfirmedOrderRefundsItAndCancelsIt() throws Exception {
    JsonNode order =
        JSON.readTree(place(bob, bobs, "EUR", 4, 250, UUID.randomUUID().toString()).body());
    String id = order.get("id").asString();
    assertThat(balance(bobs)).isEqualTo(4000);

    HttpResponse<String> stale =
        http.post(
            "/api/orders/" + id + "/cancel",
            customer(),
            "",
            Map.of("Idempotency-Key", UUID.randomUUID().toString(), "If-Match", "\"1\""));
    assertThat(stale.statusCode()).isEqualTo(412);
    // A malformed If-Match is bad input, refused while the request is bound: its key is not taken,
    // so the same key then cancels.
    String key = UUID.randomUUID().toString();
    HttpResponse<String> malformed =
        http.post(
            "/api/orders/" + id + "/cancel",
            customer(),
            "",
            Map.of("Idempotency-Key", key, "If-Match", "\"unbalanced"));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(ProblemAssert.type(malformed)).isEqualTo("urn:faultline:problem:invalid-if-match");
    assertThat(status(id)).isEqualTo("CONFIRMED");
    assertThat(
            http.keyed(
                    "/api/orders/" + id + "/cancel",
                    TestTokens.customer("eve"),
                    UUID.randomUUID().toString(),
                    "")
                .statusCode())
        .isEqualTo(403);

    String etag =
        http.get("/api/orders/" + id, customer()).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> cancel =
        http.post(
            "/api/orders/" + id + "/cancel",
            customer(),
            "",
            Map.of("Idempotency-Key", key, "If-Match", "W/\"0\", " + etag));
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(JSON.readTree(cancel.body()).get("status").asString()).isEqualTo("REFUNDING");

    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("CANCELLED"));
    JsonNode cancelled = JSON.readTree(http.get("/api/orders/" + id, customer()).body());
    assertThat(statuses(cancelled))
        .containsExactly("PENDING", "PAID", "CONFIRMED", "REFUNDING", "CANCELLED");
    assertThat(balance(bobs)).isEqualTo(5000);
    assertThat(payment(order).get("status").asString()).isEqualTo("REFUNDED");

    HttpResponse<String> again =
        http.keyed("/api/orders/" + id + "/cancel", customer(), UUID.randomUUID().toString(), "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(ProblemAssert.type(again)).isEqualTo("urn:faultline:problem:order-not-cancellable");
  }

  /**
   * A partial refund is an order operation: keyed, run by the saga, and the order keeps what went
   * back, so the money and the order always agree (a direct refund of the order's payment, which
   * once left it CONFIRMED with money gone, is refused).
   */
  @Test
  void aPartialRefundIsRunByTheSagaAndTheOrderKeepsItsRefundedAmount() throws Exception {
    JsonNode order =
        JSON.readTree(place(bob, bobs, "EUR", 5, 250, UUID.randomUUID().toString()).body());
    String id = order.get("id").asString();
    String refunds = "/api/orders/" + id + "/refunds";
    assertThat(balance(bobs)).isEqualTo(3750);

    String key = UUID.randomUUID().toString();
    HttpResponse<String> part =
        http.keyed(refunds, customer(), key, Json.object("amountCents", 250));
    assertThat(part.statusCode()).as(part.body()).isEqualTo(202);
    assertThat(JSON.readTree(part.body()).get("refundPendingCents").asLong()).isEqualTo(250);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("PARTIALLY_REFUNDED"));
    JsonNode partly = JSON.readTree(http.get("/api/orders/" + id, customer()).body());
    assertThat(partly.get("refundedCents").asLong()).isEqualTo(250);
    assertThat(partly.get("refundPendingCents").asLong()).isZero();
    assertThat(balance(bobs)).isEqualTo(4000);
    HttpResponse<String> replayed =
        http.keyed(refunds, customer(), key, Json.object("amountCents", 250));
    assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(balance(bobs)).isEqualTo(4000);

    // Refused, and nothing moves: too much, nothing, someone else's order, the payment directly.
    ProblemAssert.assertProblem(
        http.keyed(
            refunds, customer(), UUID.randomUUID().toString(), Json.object("amountCents", 1001)),
        422,
        "refund-exceeds-order");
    ProblemAssert.assertProblem(
        http.keyed(
            refunds, customer(), UUID.randomUUID().toString(), Json.object("amountCents", 0)),
        400,
        "bad-request");
    ProblemAssert.assertProblem(
        http.keyed(
            refunds,
            TestTokens.customer("eve"),
            UUID.randomUUID().toString(),
            Json.object("amountCents", 1)),
        403,
        "forbidden");
    String paymentId = payment(order).get("id").asString();
    ProblemAssert.assertProblem(
        payments.keyed(
            "/api/payments/" + paymentId + "/refunds",
            ADMIN,
            UUID.randomUUID().toString(),
            Json.object("amountCents", 1)),
        403,
        "refund-through-order");
    assertThat(balance(bobs)).isEqualTo(4000);

    // The rest, in a second part: the order is REFUNDED and can be neither refunded nor cancelled.
    assertThat(
            http.keyed(
                    refunds,
                    customer(),
                    UUID.randomUUID().toString(),
                    Json.object("amountCents", 1000))
                .statusCode())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("REFUNDED"));
    JsonNode refunded = JSON.readTree(http.get("/api/orders/" + id, customer()).body());
    assertThat(refunded.get("refundedCents").asLong()).isEqualTo(1250);
    assertThat(statuses(refunded))
        .containsExactly(
            "PENDING",
            "PAID",
            "CONFIRMED",
            "PARTIALLY_REFUNDING",
            "PARTIALLY_REFUNDED",
            "PARTIALLY_REFUNDING",
            "REFUNDED");
    assertThat(balance(bobs)).isEqualTo(5000);
    assertThat(payment(order).get("status").asString()).isEqualTo("REFUNDED");
    ProblemAssert.assertProblem(
        http.keyed(
            refunds, customer(), UUID.randomUUID().toString(), Json.object("amountCents", 1)),
        409,
        "order-not-refundable");
    ProblemAssert.assertProblem(
        http.keyed("/api/orders/" + id + "/cancel", customer(), UUID.randomUUID().toString(), ""),
        409,
        "order-not-cancellable");
  }

  /** A cancel after a partial refund returns the rest, and the order ends with all of it back. */
  @Test
  void cancellingAPartlyRefundedOrderReturnsTheRest() throws Exception {
    JsonNode order =
        JSON.readTree(place(bob, bobs, "EUR", 4, 250, UUID.randomUUID().toString()).body());
    String id = order.get("id").asString();
    http.keyed(
        "/api/orders/" + id + "/refunds",
        customer(),
        UUID.randomUUID().toString(),
        Json.object("amountCents", 300));
    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("PARTIALLY_REFUNDED"));
    assertThat(balance(bobs)).isEqualTo(4300);

    HttpResponse<String> cancel =
        http.keyed("/api/orders/" + id + "/cancel", customer(), UUID.randomUUID().toString(), "");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("CANCELLED"));
    JsonNode cancelled = JSON.readTree(http.get("/api/orders/" + id, customer()).body());
    assertThat(cancelled.get("refundedCents").asLong()).isEqualTo(1000);
    assertThat(balance(bobs)).isEqualTo(5000);
    assertThat(payment(order).get("status").asString()).isEqualTo("REFUNDED");
  }

  @Test
  void aRejectedOrderCannotBeCancelled() throws Exception {
    String id =
        JSON.readTree(place(bob, bobs, "EUR", 1, 99_999, UUID.randomUUID().toString()).body())
            .get("id")
            .asString();
    HttpResponse<String> cancel =
        http.keyed("/api/orders/" + id + "/cancel", customer(), UUID.randomUUID().toString(), "");
    assertThat(cancel.statusCode()).isEqualTo(409);
  }

  // --- reading --------------------------------------------------------------------------------

  @Test
  void aCustomerListsTheirOwnOrdersOnlyAndAnAdminAnyones() throws Exception {
    place(bob, bobs, "EUR", 1, 10, UUID.randomUUID().toString());
    place(bob, bobs, "EUR", 1, 20, UUID.randomUUID().toString());
    JsonNode list = JSON.readTree(http.get("/api/orders?customerId=" + bob, customer()).body());
    assertThat(list).hasSize(2);
    assertThat(http.get("/api/orders?customerId=" + bob, TestTokens.customer("eve")).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/orders?customerId=" + bob, ADMIN).statusCode()).isEqualTo(200);
    String id = list.get(0).get("id").asString();
    assertThat(http.get("/api/orders/" + id, TestTokens.customer("eve")).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/orders/" + id, ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void missingOrderIsA404ProblemWithTheTraceId() throws Exception {
    HttpResponse<String> response =
        http.get("/api/orders/" + UUID.randomUUID(), TestTokens.customer("alice"));

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo("urn:faultline:problem:order-not-found");
    assertThat(problem.get("traceId").asString()).matches("[0-9a-f]{32}");
  }

  @Test
  void theServiceChecksTokensItselfNotOnlyTheGateway() throws Exception {
    HttpResponse<String> none = http.get("/api/orders/" + UUID.randomUUID(), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:unauthorized");
    assertThat(http.get("/api/orders?customerId=bob", TestTokens.forged("bob")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void malformedInputIsA400ProblemNeverA500AndChangesNothing() throws Exception {
    assertThat(http.get("/api/orders/not-a-uuid", customer()).statusCode()).isEqualTo(400);
    assertThat(http.get("/api/orders", customer()).statusCode()).isEqualTo(400);
    for (String body :
        List.of(
            "{",
            "{}",
            orderBody(bob, bobs, "EUR", 0, 100),
            orderBody(bob, bobs, "eur", 1, 100),
            orderBody(bob, bobs, "EUR", 1, 0),
            orderBody(bob, bobs, "EUR", 1, -5),
            "{\"customerId\":\""
                + bob
                + "\",\"accountId\":\""
                + bobs
                + "\",\"currency\":\"EUR\",\"items\":[]}",
            // Strict binding: never truncated, coerced or last-one-wins.
            orderBody(bob, bobs, "EUR", 1, 100).replace("\"quantity\":1", "\"quantity\":1.5"),
            orderBody(bob, bobs, "EUR", 1, 100).replace("\"quantity\":1", "\"quantity\":\"1\""),
            orderBody(bob, bobs, "EUR", 1, 100)
                .replace("\"quantity\":1", "\"quantity\":1,\"quantity\":2"),
            orderBody(bob, bobs, "EUR", 1, 100).replace("\"EUR\"", "978"))) {
      HttpResponse<String> response =
          http.keyed("/api/orders", customer(), UUID.randomUUID().toString(), body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
    }
    assertThat(orderCount(bob)).isZero();
  }

  @Test
  void anIdWhoseSlotTheRingLacksNamesNoOrder() throws Exception {
    // Version 8 and the IETF variant, as ours are, but slot 0xffff: the ring has 16384.
    String id = "ffff0000-0000-8000-8000-000000000001";
    ProblemAssert.assertProblem(http.get("/api/orders/" + id, customer()), 404, "order-not-found");
    ProblemAssert.assertProblem(
        http.keyed("/api/orders/" + id + "/cancel", customer(), UUID.randomUUID().toString(), ""),
        404,
        "order-not-found");
  }

  @Test
  void aMultipartBodyIsAnUnsupportedMediaTypeNotAnError() throws Exception {
    for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=x")) {
      HttpResponse<String> response =
          http.send(
              http.builder("/api/orders", customer())
                  .header("Content-Type", type)
                  .header("Idempotency-Key", UUID.randomUUID().toString())
                  .POST(HttpRequest.BodyPublishers.ofString(orderBody(bob, bobs, "EUR", 1, 100))));
      ProblemAssert.assertProblem(response, 415, "unsupported-media-type");
    }
    assertThat(orderCount(bob)).isZero();
  }

  // --- operators ------------------------------------------------------------------------------

  @Test
  void sagasAreListedForAdminsOnlyAndAFinishedOneIsNotRetried() throws Exception {
    String id =
        JSON.readTree(place(bob, bobs, "EUR", 1, 10, UUID.randomUUID().toString()).body())
            .get("id")
            .asString();
    assertThat(http.get("/api/sagas", customer()).statusCode()).isEqualTo(403);
    HttpResponse<String> all = http.get("/api/sagas?limit=1000", ADMIN);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).contains(id);
    assertThat(JSON.readTree(http.get("/api/sagas?stuck=true", ADMIN).body())).isEmpty();
    assertThat(http.post("/api/sagas/" + id + "/retry", ADMIN, "").statusCode()).isEqualTo(409);
    assertThat(http.post("/api/sagas/" + id + "/retry", customer(), "").statusCode())
        .isEqualTo(403);
    String metrics = http.get("/actuator/prometheus", null).body();
    assertThat(metrics)
        .containsPattern("saga_completed_total\\{[^}]*outcome=\"confirmed\"[^}]*} [1-9]");
    assertThat(metrics).contains("saga_duration_seconds_bucket");
    assertThat(metrics).contains("saga_in_flight");
    assertThat(metrics).contains("resilience4j_circuitbreaker_state");
  }

  @Test
  void healthProbesAreOpenAndTheInstanceIsDiscoverable() throws Exception {
    assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    assertThat(http.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(zk.getChildren().forPath("/services/order-service")).isNotEmpty();
  }

  // --- helpers --------------------------------------------------------------------------------

  private String customer() {
    return TestTokens.customer(bob);
  }

  private String openAccount(String owner, String currency, long balance) {
    HttpResponse<String> response =
        payments.keyed(
            "/api/accounts",
            TestTokens.customer(owner),
            UUID.randomUUID().toString(),
            Json.object("ownerId", owner, "currency", currency, "initialBalanceCents", balance));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asString();
  }

  private HttpResponse<String> place(
      String customerId, String account, String currency, int quantity, long price, String key) {
    return http.keyed(
        "/api/orders", customer(), key, orderBody(customerId, account, currency, quantity, price));
  }

  private static String orderBody(
      String customerId, String account, String currency, int quantity, long price) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", "sku-1");
    item.put("quantity", quantity);
    item.put("unitPriceCents", price);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customerId", customerId);
    body.put("accountId", account);
    body.put("currency", currency);
    body.put("items", List.of(item));
    return JSON.writeValueAsString(body);
  }

  private long balance(String account) {
    return JSON.readTree(payments.get("/api/accounts/" + account, ADMIN).body())
        .get("balanceCents")
        .asLong();
  }

  private JsonNode payment(JsonNode order) {
    int slot = shards.route(order.get("accountId").asString()).slot();
    String id = PaymentIds.of(slot, order.get("id").asString());
    return JSON.readTree(payments.get("/api/payments/" + id, ADMIN).body());
  }

  private String status(String id) {
    return JSON.readTree(http.get("/api/orders/" + id, ADMIN).body()).get("status").asString();
  }

  private long orderCount(String customerId) {
    return shards.read(
        customerId,
        Freshness.LATEST,
        db ->
            db.sql("select count(*) from orders where customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single());
  }

  private static List<String> statuses(JsonNode order) {
    List<String> statuses = new ArrayList<>();
    order.get("history").forEach(change -> statuses.add(change.get("status").asString()));
    return statuses;
  }
}
