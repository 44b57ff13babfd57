package dev.faultline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.testing.Http;
import dev.faultline.testing.Json;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.ServiceProcess;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.SharedInfrastructure;
import dev.faultline.testing.TestTokens;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The saga under crashes: order-service and payment-service run as their own processes (with the
 * real lock service, ZooKeeper and PostgreSQL), armed with failpoints that kill them at the worst
 * moments. After each restart every saga must end terminal, and every order must be charged exactly
 * once or not at all; the ledger must balance throughout.
 */
class OrderSagaCrashIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADMIN = TestTokens.admin();
  private static final Duration SETTLE = Duration.ofSeconds(45);

  static ServiceProcess payments;
  static ServiceProcess orders;

  String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
  String bobs;

  @BeforeAll
  static void startServices() {
    SharedInfrastructure.lockService();
    payments =
        ServiceProcess.start(
            "payment-service", ServiceTestProperties.forProcess("payment-service", false));
    ServiceProcess.Config config = ServiceTestProperties.forProcess("order-service", false);
    List<String> args = new ArrayList<>(config.args());
    args.add("--faultline.saga.poll-interval=200ms");
    args.add("--faultline.saga.max-backoff=1s");
    orders = ServiceProcess.start("order-service", args, config.env());
  }

  @AfterAll
  static void stopServices() {
    if (orders != null) {
      orders.close();
    }
    if (payments != null) {
      payments.close();
    }
  }

  @BeforeEach
  void openAccount() {
    HttpResponse<String> response =
        http(payments)
            .keyed(
                "/api/accounts",
                TestTokens.customer(bob),
                UUID.randomUUID().toString(),
                Json.object("ownerId", bob, "currency", "EUR", "initialBalanceCents", 5000));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    bobs = JSON.readTree(response.body()).get("id").asString();
  }

  private ServiceProcess armed;

  /** Restarts {@code service} with a failpoint armed for this incarnation only. */
  private void arm(ServiceProcess service, String failpoint) {
    armed = service;
    service.kill();
    service.startWith(Map.of("FAULTLINE_FAILPOINTS", failpoint));
  }

  /** Whatever a test armed, the next one starts from a healthy, unarmed service. */
  @AfterEach
  void disarm() {
    if (armed != null) {
      armed.kill();
      armed.start();
    }
  }

  @Test
  void orderServiceKilledBetweenChargeAndConfirmResumesAndChargesOnce() throws Exception {
    arm(orders, "order-saga.charged=crash");
    String key = UUID.randomUUID().toString();

    assertDiesDuring(() -> place(key, 1200));
    assertThat(orders.awaitExit(Duration.ofSeconds(10))).isTrue();
    orders.start();
    armed = null; // it crashed, and runs unarmed now

    // The key's first request died between its steps: a retry is told to wait while its lock
    // lasts, then answered from the order as it is.
    HttpResponse<String> retried = retryUntilAnswered(key, 1200);
    String id = JSON.readTree(retried.body()).get("id").asString();
    assertConfirmedAndChargedOnce(id, 1200, 3800);
  }

  @Test
  void orderServiceKilledAfterRecordingPaidConfirmsOnRecovery() throws Exception {
    arm(orders, "order-saga.paid=crash");

    assertDiesDuring(() -> place(UUID.randomUUID().toString(), 700));
    assertThat(orders.awaitExit(Duration.ofSeconds(10))).isTrue();
    orders.start();
    armed = null; // it crashed, and runs unarmed now

    String id = onlyOrder();
    assertConfirmedAndChargedOnce(id, 700, 4300);
  }

  @Test
  void paymentServiceKilledAfterCommittingBeforeAnsweringIsRetriedWithTheSameKey()
      throws Exception {
    arm(payments, "payment.charge.committed=crash");

    // The charge's outcome is unknown to the saga: it answers 202 and carries on.
    String id = placedPending(900);
    assertThat(payments.awaitExit(Duration.ofSeconds(10))).isTrue();
    assertThat(status(id)).isEqualTo("PENDING");
    payments.start();
    armed = null; // it crashed, and runs unarmed now

    assertConfirmedAndChargedOnce(id, 900, 4100);
  }

  @Test
  void aChargeSlowerThanTheStepTimeoutIsRetriedAndAppliedOnce() throws Exception {
    arm(payments, "payment.charge.committed=sleep:4500");

    String id = placedPending(400);

    assertConfirmedAndChargedOnce(id, 400, 4600);
  }

  @Test
  void aCancelWhileTheChargeIsInFlightVoidsItAndTheLateChargeMovesNothing() throws Exception {
    arm(payments, "payment.charge.received=sleep:6000");

    String id = placedPending(800);
    HttpResponse<String> cancel =
        http(orders)
            .keyed(
                "/api/orders/" + id + "/cancel",
                TestTokens.customer(bob),
                UUID.randomUUID().toString(),
                "");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

    assertThat(awaitTerminal(id)).isEqualTo("CANCELLED");
    // The delayed charge lands after its refund: it finds the tombstone and fails.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "VOIDED".equals(paymentStatus(id)) && chargeAnswered(id));
    assertThat(balance()).isEqualTo(5000);
    assertThat(ledgerEntries(id)).isZero();
    assertInvariants();
  }

  // --- invariants -----------------------------------------------------------------------------

  /**
   * The shard's money: entries sum to zero, every balance equals its entries, every saga terminal,
   * and per order captured - refunded is the total for CONFIRMED and zero otherwise.
   */
  private void assertInvariants() throws SQLException {
    await()
        .atMost(SETTLE)
        .until(() -> query("select count(*) from orders.sagas where finished_at is null") == 0);
    assertThat(query("select coalesce(sum(amount_cents), 0) from payments.ledger_entries"))
        .isZero();
    assertThat(
            query(
                "select count(*) from payments.accounts a where balance_cents <> (select"
                    + " coalesce(sum(amount_cents), 0) from payments.ledger_entries e where"
                    + " e.account_id = a.id)"))
        .isZero();
    assertThat(
            query(
                "select count(*) from orders.orders o left join payments.payments p on p.order_id"
                    + " = o.id::text and p.account_id = o.account_id where (case when p.status in"
                    + " ('CAPTURED', 'REFUNDED') then p.amount_cents - p.refunded_cents else 0 end)"
                    + " <> (case when o.status = 'CONFIRMED' then o.total_cents else 0 end)"))
        .as("orders whose money does not match their status")
        .isZero();
  }

  /** The order ended CONFIRMED, charged once, with the balance and the shard's money right. */
  private void assertConfirmedAndChargedOnce(String id, long cents, long balance)
      throws SQLException {
    assertThat(awaitTerminal(id)).isEqualTo("CONFIRMED");
    assertChargedOnce(id, cents);
    assertThat(balance()).isEqualTo(balance);
    assertInvariants();
  }

  private void assertChargedOnce(String orderId, long cents) throws SQLException {
    assertThat(ledgerEntries(orderId)).as("one charge movement: two entries").isEqualTo(2);
    assertThat(
            query(
                "select coalesce(sum(amount_cents), 0) from payments.ledger_entries where"
                    + " movement_id like 'pay\\_%\\_"
                    + orderId
                    + "' and account_id = '"
                    + bobs
                    + "'"))
        .isEqualTo(-cents);
  }

  private long ledgerEntries(String orderId) throws SQLException {
    return query(
        "select count(*) from payments.ledger_entries where movement_id like 'pay\\_%\\_"
            + orderId
            + "'");
  }

  private static long query(String sql) throws SQLException {
    try (Connection c = database();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection database() throws SQLException {
    PostgresShard shard = SharedInfrastructure.postgres(false);
    return DriverManager.getConnection(
        shard.primary().jdbcUrl(), shard.appUser(), shard.appPassword());
  }

  // --- helpers --------------------------------------------------------------------------------

  private HttpResponse<String> place(String key, long cents) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", "crash-test");
    item.put("quantity", 1);
    item.put("unitPriceCents", cents);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customerId", bob);
    body.put("accountId", bobs);
    body.put("currency", "EUR");
    body.put("items", List.of(item));
    return http(orders)
        .keyed("/api/orders", TestTokens.customer(bob), key, JSON.writeValueAsString(body));
  }

  private HttpResponse<String> retryUntilAnswered(String key, long cents) {
    List<Integer> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = place(key, cents);
      seen.add(response.statusCode());
      if (response.statusCode() != 409) {
        assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
        return response;
      }
      sleep(500);
    }
    throw new AssertionError("still 409 after 30 s: " + seen);
  }

  private String onlyOrder() {
    JsonNode list = JSON.readTree(http(orders).get("/api/orders?customerId=" + bob, ADMIN).body());
    assertThat(list).hasSize(1);
    return list.get(0).get("id").asString();
  }

  private String awaitTerminal(String id) {
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> List.of("CONFIRMED", "REJECTED", "CANCELLED").contains(status(id)));
    return status(id);
  }

  private String status(String id) {
    return JSON.readTree(http(orders).get("/api/orders/" + id, ADMIN).body())
        .get("status")
        .asString();
  }

  private String paymentStatus(String orderId) throws SQLException {
    return firstString(
        "select status from payments.payments where order_id = '" + orderId + "'", "none");
  }

  /** Whether the delayed charge has finished (its key's answer is stored). */
  private boolean chargeAnswered(String orderId) throws SQLException {
    return query(
            "select count(*) from payments.idempotency_keys where key = 'order-"
                + orderId
                + "-charge' and state = 'COMPLETED'")
        == 1;
  }

  private static String firstString(String sql, String none) throws SQLException {
    try (Connection c = database();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : none;
    }
  }

  private long balance() {
    return JSON.readTree(http(payments).get("/api/accounts/" + bobs, ADMIN).body())
        .get("balanceCents")
        .asLong();
  }

  private static void assertDiesDuring(Runnable call) {
    try {
      call.run();
    } catch (UncheckedIOException e) {
      return; // the connection died with the process: what the failpoint does
    }
    throw new AssertionError("the service answered instead of crashing at its failpoint");
  }

  private static Http http(ServiceProcess service) {
    return new Http(service.uri().toString());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Places an order under a fresh key; its saga is still running when the answer comes (202). */
  private String placedPending(long cents) throws Exception {
    HttpResponse<String> placed = place(UUID.randomUUID().toString(), cents);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
    return JSON.readTree(placed.body()).get("id").asString();
  }
}
