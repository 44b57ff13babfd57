package dev.faultline.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.contract.PaymentIds;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.testing.Http;
import dev.faultline.testing.Json;
import dev.faultline.testing.ProblemAssert;
import dev.faultline.testing.RawHttp;
import dev.faultline.testing.RawHttp.Framing;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * payment-service against real PostgreSQL, ZooKeeper and the real lock service (its own process),
 * called over HTTP with real tokens. Every test ends by checking the ledger's invariants.
 */
@WithPostgres
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADMIN = TestTokens.admin();

  /** The order saga, as payment-service knows it: order-service's own token. */
  private static final String SAGA = TestTokens.service("order-service");

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
    ServiceTestProperties.withLockService(registry::add, "payment-service");
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;

  Http http;
  String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
  String bobs;

  @BeforeEach
  void setUp() {
    http = Http.localServer(environment);
    bobs = openAccount(bob, "EUR", 5000);
  }

  // --- accounts -------------------------------------------------------------------------------

  @Test
  void openingIsIdempotentAndTheBalanceIsItsOpeningEntry() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = Json.object("ownerId", bob, "currency", "EUR", "initialBalanceCents", 700);
    HttpResponse<String> first = http.keyed("/api/accounts", customer(), key, body);
    HttpResponse<String> again = http.keyed("/api/accounts", customer(), key, body);
    HttpResponse<String> other =
        http.keyed(
            "/api/accounts",
            customer(),
            key,
            Json.object("ownerId", bob, "currency", "EUR", "initialBalanceCents", 701));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("ETag")).hasValue("\"1\"");
    String id = JSON.readTree(first.body()).get("id").asString();
    assertThat(first.headers().firstValue("Location")).hasValue("/api/accounts/" + id);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(other)).isEqualTo("urn:faultline:problem:idempotency-key-reused");

    JsonNode statement =
        JSON.readTree(http.get("/api/accounts/" + id + "/ledger", customer()).body());
    assertThat(statement.get("balanceCents").asLong()).isEqualTo(700);
    assertThat(statement.get("entries")).hasSize(1);
    assertThat(statement.get("entries").get(0).get("kind").asString()).isEqualTo("OPENING");
    assertLedgerBalances();
  }

  @Test
  void aPostWithoutAKeyIs400AndChangesNothing() throws Exception {
    HttpResponse<String> response =
        http.post(
            "/api/accounts/" + bobs + "/deposits", customer(), Json.object("amountCents", 10));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ProblemAssert.type(response))
        .isEqualTo("urn:faultline:problem:idempotency-key-missing");
    assertThat(balance(bobs)).isEqualTo(5000);
  }

  @Test
  void customersActOnlyOnTheirOwnAccounts() throws Exception {
    assertThat(
            http.keyed(
                    "/api/accounts",
                    customer(),
                    UUID.randomUUID().toString(),
                    Json.object(
                        "ownerId", "someone-else", "currency", "EUR", "initialBalanceCents", 1))
                .statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/accounts/" + bobs, TestTokens.customer("eve")).statusCode())
        .isEqualTo(403);
    HttpResponse<String> deposit =
        http.keyed(
            "/api/accounts/" + bobs + "/deposits",
            TestTokens.customer("eve"),
            UUID.randomUUID().toString(),
            Json.object("amountCents", 10));
    assertThat(deposit.statusCode()).isEqualTo(403);
    assertThat(http.get("/api/accounts/" + bobs, ADMIN).statusCode()).isEqualTo(200);
    HttpResponse<String> missing = http.get("/api/accounts/acc-none", customer());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(ProblemAssert.type(missing)).isEqualTo("urn:faultline:problem:account-not-found");
    assertThat(balance(bobs)).isEqualTo(5000);
  }

  @Test
  void aDepositWithAStaleIfMatchIs412AndWithTheCurrentOneMovesTheBalance() throws Exception {
    HttpResponse<String> stale = depositIfMatch(bobs, 250, "\"7\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(balance(bobs)).isEqualTo(5000);

    HttpResponse<String> current = depositIfMatch(bobs, 250, "\"1\"");
    assertThat(current.statusCode()).isEqualTo(201);
    assertThat(current.headers().firstValue("ETag")).hasValue("\"2\"");
    assertThat(JSON.readTree(current.body()).get("balanceCents").asLong()).isEqualTo(5250);
    assertLedgerBalances();
  }

  @Test
  void concurrentDuplicatesOfOneDepositApplyItOnce() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = Json.object("amountCents", 100);
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> http.keyed("/api/accounts/" + bobs + "/deposits", customer(), key, body));
    }
    List<Integer> statuses = new ArrayList<>();
    int fresh = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        HttpResponse<String> response = f.get();
        statuses.add(response.statusCode());
        if (response.statusCode() == 201
            && response.headers().firstValue("Idempotent-Replayed").isEmpty()) {
          fresh++;
        }
      }
    }
    // Each is the first (201), a replay of it (201, marked), or refused while it runs (409):
    // never a second deposit.
    assertThat(statuses).isSubsetOf(201, 409);
    assertThat(fresh).isEqualTo(1);
    HttpResponse<String> after =
        http.keyed("/api/accounts/" + bobs + "/deposits", customer(), key, body);
    assertThat(after.statusCode()).isEqualTo(201);
    assertThat(after.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(balance(bobs)).isEqualTo(5100);
    assertLedgerBalances();
  }

  // --- charges --------------------------------------------------------------------------------

  @Test
  void aChargeCapturesOnceAndAnOverdrawIsDeclinedNotAnError() throws Exception {
    String order = UUID.randomUUID().toString();
    HttpResponse<String> captured = charge(order, bobs, 1200, "EUR", UUID.randomUUID().toString());
    assertThat(captured.statusCode()).isEqualTo(201);
    JsonNode payment = JSON.readTree(captured.body());
    assertThat(payment.get("status").asString()).isEqualTo("CAPTURED");
    assertThat(payment.get("id").asString()).startsWith("pay_").endsWith("_" + order);
    assertThat(balance(bobs)).isEqualTo(3800);

    // The same operation under another key is the same payment: it is not applied again.
    HttpResponse<String> same = charge(order, bobs, 1200, "EUR", UUID.randomUUID().toString());
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(same.body()).get("id").asString())
        .isEqualTo(payment.get("id").asString());
    HttpResponse<String> conflicting =
        charge(order, bobs, 999, "EUR", UUID.randomUUID().toString());
    assertThat(conflicting.statusCode()).isEqualTo(409);
    assertThat(ProblemAssert.type(conflicting)).isEqualTo("urn:faultline:problem:payment-conflict");

    HttpResponse<String> declined =
        charge(UUID.randomUUID().toString(), bobs, 10_000, "EUR", UUID.randomUUID().toString());
    assertThat(declined.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(declined.body()).get("status").asString()).isEqualTo("DECLINED");
    assertThat(JSON.readTree(declined.body()).get("declineReason").asString())
        .isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(balance(bobs)).isEqualTo(3800);

    String id = payment.get("id").asString();
    assertThat(http.get("/api/payments/" + id, customer()).statusCode()).isEqualTo(200);
    assertThat(http.get("/api/payments/" + id, TestTokens.customer("eve")).statusCode())
        .isEqualTo(404);
    assertLedgerBalances();
  }

  @Test
  void aChargeIsRefusedForSomeoneElsesAnUnknownOrAnotherCurrencysAccount() throws Exception {
    String eves = openAccount("eve", "EUR", 5000);
    HttpResponse<String> notYours =
        http.keyed(
            "/api/payments",
            customer(),
            UUID.randomUUID().toString(),
            chargeBody(UUID.randomUUID().toString(), eves, 10, "EUR", null));
    assertThat(notYours.statusCode()).isEqualTo(403);
    // An admin (the order saga) charging on a customer's behalf is held to the same rule.
    HttpResponse<String> onBehalf =
        http.keyed(
            "/api/payments",
            ADMIN,
            UUID.randomUUID().toString(),
            chargeBody(UUID.randomUUID().toString(), eves, 10, "EUR", bob));
    assertThat(onBehalf.statusCode()).isEqualTo(403);
    HttpResponse<String> unknown =
        charge(UUID.randomUUID().toString(), "acc-none", 10, "EUR", UUID.randomUUID().toString());
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(unknown)).isEqualTo("urn:faultline:problem:unknown-account");
    HttpResponse<String> currency =
        charge(UUID.randomUUID().toString(), bobs, 10, "USD", UUID.randomUUID().toString());
    assertThat(currency.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(currency)).isEqualTo("urn:faultline:problem:currency-mismatch");
    assertThat(balance(eves)).isEqualTo(5000);
    assertThat(balance(bobs)).isEqualTo(5000);
  }

  @Test
  void bindingIsStrictSoWhatWouldBeGuessedIsRefusedAndNothingMoves() throws Exception {
    String deposits = "/api/accounts/" + bobs + "/deposits";
    for (String body :
        List.of(
            "{\"amountCents\": 1.5}", // was truncated to 1 and applied
            "{\"amountCents\": \"250\"}", // was coerced to 250
            "{\"amountCents\": true}",
            "{\"amountCents\": 1, \"amountCents\": 2}")) { // was the last one
      ProblemAssert.assertProblem(
          http.keyed(deposits, customer(), UUID.randomUUID().toString(), body), 400, "bad-request");
    }
    HttpResponse<String> numericCurrency =
        http.keyed(
            "/api/accounts",
            customer(),
            UUID.randomUUID().toString(),
            "{\"ownerId\": \"" + bob + "\", \"currency\": 978, \"initialBalanceCents\": 0}");
    ProblemAssert.assertProblem(numericCurrency, 400, "bad-request");
    assertThat(balance(bobs)).isEqualTo(5000);
    assertLedgerBalances();
  }

  /**
   * What Tomcat, Spring Security's firewall or the body limit refuses before a handler runs is a
   * problem too, never Tomcat's HTML page or a 500, and nothing moves.
   */
  @Test
  void theHttpLayersOwnRefusalsAreProblemsAndNothingMoves() throws Exception {
    int port = environment.getRequiredProperty("local.server.port", Integer.class);
    String auth = "Authorization: Bearer " + customer();
    byte[] none = new byte[0];
    // An encoded NUL and invalid UTF-8 in the path: Tomcat refuses them itself.
    for (String path : List.of("/api/accounts/a%00b", "/api/accounts/%ff")) {
      ProblemAssert.assertProblem(
          RawHttp.request(port, "GET " + path + " HTTP/1.1", none, auth), 400, "bad-request");
    }
    // A key of UTF-8 bytes: the firewall refuses the header value when the handler reads it.
    String deposits = "/api/accounts/" + bobs + "/deposits";
    byte[] deposit = "{\"amountCents\": 100}".getBytes(StandardCharsets.UTF_8);
    ProblemAssert.assertProblem(
        RawHttp.postJson(port, deposits, deposit, Framing.LENGTH, auth, "Idempotency-Key: 日本"),
        400,
        "bad-request");

    // A body over the limit, declared so or streamed in chunks, is refused before it is bound.
    byte[] big =
        ("{\"amountCents\": 100, \"note\": \"" + "x".repeat(70_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    for (Framing framing : Framing.values()) {
      ProblemAssert.assertProblem(
          RawHttp.postJson(
              port, deposits, big, framing, auth, "Idempotency-Key: " + UUID.randomUUID()),
          413,
          "content-too-large");
    }
    assertThat(balance(bobs)).isEqualTo(5000);
    assertLedgerBalances();
  }

  @Test
  void anIdWhoseSlotTheRingLacksNamesNoPayment() throws Exception {
    // The format allows four hex digits; the ring has 16384 slots.
    String id = "pay_ffff_" + UUID.randomUUID();
    ProblemAssert.assertProblem(http.get("/api/payments/" + id, ADMIN), 404, "payment-not-found");
    ProblemAssert.assertProblem(refund(id, ADMIN, "{}"), 404, "payment-not-found");
  }

  // --- refunds --------------------------------------------------------------------------------

  @Test
  void aRefundNeverExceedsTheChargeAndARefundOfNothingIsANoOp() throws Exception {
    String order = UUID.randomUUID().toString();
    String id =
        JSON.readTree(charge(order, bobs, 1000, "EUR", UUID.randomUUID().toString()).body())
            .get("id")
            .asString();

    assertThat(refund(id, bob(), "{}").statusCode()).isEqualTo(403);
    // A refund names at least a cent: 0 would record a movement of nothing.
    ProblemAssert.assertProblem(
        refund(id, ADMIN, Json.object("amountCents", 0)), 400, "bad-request");
    HttpResponse<String> tooMuch = refund(id, ADMIN, Json.object("amountCents", 1001));
    assertThat(tooMuch.statusCode()).isEqualTo(422);
    assertThat(ProblemAssert.type(tooMuch))
        .isEqualTo("urn:faultline:problem:refund-exceeds-charge");
    assertThat(refund(id, ADMIN, Json.object("amountCents", 400)).statusCode()).isEqualTo(201);
    assertThat(balance(bobs)).isEqualTo(4400);
    HttpResponse<String> rest = refund(id, ADMIN, "{}");
    assertThat(rest.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(rest.body()).get("amountCents").asLong()).isEqualTo(600);
    assertThat(JSON.readTree(rest.body()).get("payment").get("status").asString())
        .isEqualTo("REFUNDED");
    HttpResponse<String> nothing = refund(id, ADMIN, "{}");
    assertThat(nothing.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(nothing.body()).get("amountCents").asLong()).isZero();
    assertThat(balance(bobs)).isEqualTo(5000);
    assertLedgerBalances();
  }

  /**
   * A payment the order saga charged belongs to its order: an operator's direct refund (which once
   * left the order CONFIRMED while money went back) is refused, and so is the saga's own identity
   * under a key that is not one of its refund operations; the saga's partial refunds and the
   * cancel's refund of the rest go through, each once.
   */
  @Test
  void anOrdersPaymentIsRefundedOnlyByItsSagasOperations() throws Exception {
    String order = UUID.randomUUID().toString();
    HttpResponse<String> charged =
        http.keyed(
            "/api/payments",
            SAGA,
            "order-" + order + "-charge",
            chargeBody(order, bobs, 1000, "EUR", bob));
    assertThat(charged.statusCode()).as(charged.body()).isEqualTo(201);
    String id = JSON.readTree(charged.body()).get("id").asString();
    String refunds = "/api/payments/" + id + "/refunds";

    ProblemAssert.assertProblem(
        refund(id, ADMIN, Json.object("amountCents", 100)), 403, "refund-through-order");
    for (String key :
        List.of("order-" + order + "-refundx", "order-" + order + "-refund-0", "mine", order)) {
      ProblemAssert.assertProblem(
          http.keyed(refunds, SAGA, key, Json.object("amountCents", 100)),
          403,
          "refund-through-order");
    }
    assertThat(balance(bobs)).isEqualTo(4000);

    String first = "order-" + order + "-refund-1";
    assertThat(http.keyed(refunds, SAGA, first, Json.object("amountCents", 100)).statusCode())
        .isEqualTo(201);
    HttpResponse<String> again = http.keyed(refunds, SAGA, first, Json.object("amountCents", 100));
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(balance(bobs)).isEqualTo(4100);
    HttpResponse<String> rest = http.keyed(refunds, SAGA, "order-" + order + "-refund", "{}");
    assertThat(JSON.readTree(rest.body()).get("amountCents").asLong()).isEqualTo(900);
    assertThat(balance(bobs)).isEqualTo(5000);
    assertLedgerBalances();
  }

  @Test
  void aRefundBeforeItsChargeVoidsItSoTheLateChargeFails() throws Exception {
    String order = UUID.randomUUID().toString();
    int slot = shards.route(bobs).slot();
    String id = PaymentIds.of(slot, order);

    // Only the saga leaves tombstones: an operator's refund of a payment yet to come names none.
    ProblemAssert.assertProblem(refund(id, ADMIN, ""), 404, "payment-not-found");
    HttpResponse<String> early =
        http.keyed("/api/payments/" + id + "/refunds", SAGA, "order-" + order + "-refund", "");
    assertThat(early.statusCode()).isEqualTo(201);
    assertThat(JSON.readTree(early.body()).get("payment").get("status").asString())
        .isEqualTo("VOIDED");
    HttpResponse<String> late = charge(order, bobs, 300, "EUR", UUID.randomUUID().toString());
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(ProblemAssert.type(late)).isEqualTo("urn:faultline:problem:payment-voided");
    assertThat(balance(bobs)).isEqualTo(5000);
    // A customer cannot leave tombstones: refunds are the saga's and operators'.
    assertThat(refund(PaymentIds.of(slot, UUID.randomUUID().toString()), bob(), "").statusCode())
        .isEqualTo(403);
    assertLedgerBalances();
  }

  // --- the lease and its fence ----------------------------------------------------------------

  @Test
  void aWriteWithAnOlderFencingTokenThanTheRowsIsRefusedAndChangesNothing() throws Exception {
    // As if a newer lease holder had written the account: our cached or fresh token is older.
    shards.write(
        bobs,
        db ->
            db.sql("update accounts set fence_token = 1000000000 where id = ?")
                .param(bobs)
                .update());
    HttpResponse<String> deposit = deposit(bobs, 10);
    assertThat(deposit.statusCode()).isEqualTo(503);
    assertThat(ProblemAssert.type(deposit)).isEqualTo("urn:faultline:problem:account-lease-lost");
    assertThat(deposit.headers().firstValue("Retry-After")).isPresent();
    assertThat(balance(bobs)).isEqualTo(5000);
    assertThat(http.get("/actuator/prometheus", null).body())
        .containsPattern("locks_fencing_rejections_total\\{[^}]*} [1-9]");
    assertLedgerBalances();
  }

  @Test
  void whileAnotherHolderHasTheAccountsLeaseBalancesDoNotMove() throws Exception {
    Http locks =
        new Http(dev.faultline.testing.SharedInfrastructure.lockService().uri().toString());
    HttpResponse<String> held =
        locks.post(
            "/api/locks/account-" + bobs + "/acquire",
            ADMIN,
            Json.object("holder", "intruder", "ttlMs", 8000, "waitMs", 0));
    assertThat(held.statusCode()).isEqualTo(200);
    try {
      HttpResponse<String> deposit = deposit(bobs, 10);
      assertThat(deposit.statusCode()).isEqualTo(503);
      assertThat(ProblemAssert.type(deposit)).isEqualTo("urn:faultline:problem:account-busy");
    } finally {
      locks.post(
          "/api/locks/account-" + bobs + "/release",
          ADMIN,
          Json.object("leaseId", JSON.readTree(held.body()).get("leaseId").asString()));
    }
    assertThat(balance(bobs)).isEqualTo(5000);
    assertThat(deposit(bobs, 10).statusCode()).isEqualTo(201);
  }

  // --- helpers --------------------------------------------------------------------------------

  private String customer() {
    return TestTokens.customer(bob);
  }

  private String bob() {
    return customer();
  }

  private String openAccount(String owner, String currency, long balance) {
    HttpResponse<String> response =
        http.keyed(
            "/api/accounts",
            owner.equals(bob) ? customer() : TestTokens.customer(owner),
            UUID.randomUUID().toString(),
            Json.object("ownerId", owner, "currency", currency, "initialBalanceCents", balance));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asString();
  }

  private HttpResponse<String> charge(
      String order, String account, long cents, String currency, String key) {
    return http.keyed(
        "/api/payments", customer(), key, chargeBody(order, account, cents, currency, null));
  }

  private static String chargeBody(
      String order, String account, long cents, String currency, String customerId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("orderId", order);
    body.put("accountId", account);
    body.put("amountCents", cents);
    body.put("currency", currency);
    if (customerId != null) {
      body.put("customerId", customerId);
    }
    return JSON.writeValueAsString(body);
  }

  private HttpResponse<String> refund(String id, String token, String body) {
    return http.keyed(
        "/api/payments/" + id + "/refunds", token, UUID.randomUUID().toString(), body);
  }

  private long balance(String account) {
    return JSON.readTree(http.get("/api/accounts/" + account, ADMIN).body())
        .get("balanceCents")
        .asLong();
  }

  /**
   * The ledger's invariants: entries sum to zero, each balance is its entries' sum, and every
   * movement of a balance carries its lease's fencing token, never lower than an earlier one's.
   */
  private void assertLedgerBalances() {
    shards.read(
        0,
        Freshness.LATEST,
        db -> {
          assertThat(
                  db.sql("select coalesce(sum(amount_cents), 0) from ledger_entries")
                      .query(Long.class)
                      .single())
              .isZero();
          assertThat(
                  db.sql(
                          "select count(*) from accounts a where balance_cents <> (select"
                              + " coalesce(sum(amount_cents), 0) from ledger_entries e where"
                              + " e.account_id = a.id)")
                      .query(Long.class)
                      .single())
              .isZero();
          assertThat(
                  db.sql(
                          "select count(*) from (select kind, fence_token, fence_token < lag("
                              + "fence_token) over (partition by account_id order by id) as back"
                              + " from ledger_entries where account_id not like '@%') e"
                              + " where back or (kind <> 'OPENING' and fence_token = 0)")
                      .query(Long.class)
                      .single())
              .as("ledger entries out of fencing-token order, or moved without a lease")
              .isZero();
          return null;
        });
  }

  /** A deposit under a fresh key, conditional on the account's revision being {@code ifMatch}. */
  private HttpResponse<String> depositIfMatch(String account, long cents, String ifMatch) {
    return http.post(
        "/api/accounts/" + account + "/deposits",
        customer(),
        Json.object("amountCents", cents),
        Map.of("Idempotency-Key", UUID.randomUUID().toString(), "If-Match", ifMatch));
  }

  /** A deposit by the account's customer, under a fresh key. */
  private HttpResponse<String> deposit(String account, long cents) {
    return http.keyed(
        "/api/accounts/" + account + "/deposits",
        customer(),
        UUID.randomUUID().toString(),
        Json.object("amountCents", cents));
  }
}
