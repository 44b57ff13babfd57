package dev.faultline.bench.saga;

import dev.faultline.bench.RunningSuite;
import dev.faultline.bench.SuiteShards;
import dev.faultline.contract.PaymentIds;
import dev.faultline.idempotency.Claim;
import dev.faultline.idempotency.IdempotencyStore;
import dev.faultline.idempotency.IdempotentRequest;
import dev.faultline.idempotency.StoredResponse;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.idempotency.web.Outcome;
import dev.faultline.idempotency.web.RejectionMapper;
import dev.faultline.idempotency.web.StoredResponses;
import dev.faultline.lock.client.StorageFence;
import dev.faultline.order.orders.Order;
import dev.faultline.order.orders.OrderIds;
import dev.faultline.order.orders.OrderStatus;
import dev.faultline.order.orders.Orders;
import dev.faultline.order.saga.SagaStore;
import dev.faultline.payment.account.Account;
import dev.faultline.payment.account.Accounts;
import dev.faultline.payment.charges.ChargeCapture;
import dev.faultline.payment.charges.PaymentService;
import dev.faultline.payment.charges.Payments;
import dev.faultline.payment.ledger.Ledger;
import dev.faultline.ring.Route;
import dev.faultline.shard.ShardClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor of {@code bin/bench saga}: one saga's database work as the services do it, with their
 * own repositories and transaction bodies ({@link Orders}, {@link SagaStore}, {@link
 * IdempotencyStore}, {@link Idempotency}, {@link Accounts}, {@link ChargeCapture}) behind the same
 * shard clients (the write fence included), in the same transactions and order: the key's peek, the
 * account check, the key claim with the order and saga rows, the charge (peek, account check,
 * claim, capture, stored answer), the PAID and CONFIRMED transitions with their order reads, the
 * stored answer. What it leaves out is what the floor measures: HTTP, the gateway, the services'
 * threads, and the account's lease (the floor's accounts are charged by the floor alone, with token
 * 0).
 */
final class SagaFloor implements AutoCloseable {
  /** The services' default inline claim (faultline.saga: respond-within + step-timeout + 1 s). */
  private static final Duration INLINE_CLAIM = Duration.ofSeconds(6);

  /** The subject of the order saga's service token: the scope of its charge keys. */
  private static final String ORDER_SERVICE = "order-service";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SuiteShards shards;
  private final ShardClient orderShards;
  private final ShardClient paymentShards;
  private final Orders orders;
  private final SagaStore sagas = new SagaStore();
  private final StoredResponses responses = new StoredResponses(JSON);
  private final Idempotency orderKeys;
  private final Idempotency paymentKeys;
  private final Accounts accounts;
  private final ChargeCapture capture;

  SagaFloor(RunningSuite suite, int connections) throws Exception {
    shards = suite.shards();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    orderShards = shards.client("orders", "bench-floor", connections);
    paymentShards = shards.client("payments", "bench-floor", connections);
    orders = new Orders(orderShards);
    IdempotencyStore keys = new IdempotencyStore(JSON);
    orderKeys =
        new Idempotency(orderShards, keys, responses, RejectionMapper.CLIENT_ERRORS, JSON, meters);
    paymentKeys =
        new Idempotency(
            paymentShards, keys, responses, RejectionMapper.CLIENT_ERRORS, JSON, meters);
    accounts = new Accounts(paymentShards, new StorageFence(meters));
    capture = new ChargeCapture(new Payments(paymentShards), accounts, new Ledger(), responses);
  }

  /** One order of one 100-cent item by {@code customer}, charged to {@code account}, confirmed. */
  void saga(String customer, String account) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", "bench");
    item.put("quantity", 1);
    item.put("unitPriceCents", 100);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customerId", customer);
    body.put("accountId", account);
    body.put("currency", "EUR");
    body.put("items", List.of(item));
    IdempotentRequest request =
        orderKeys.request("bench-" + UUID.randomUUID(), customer, "POST /api/orders", body);

    // OrderService.place
    Route route = orderShards.route(customer);
    if (orderKeys.replayIfCompleted(route.slot(), request).isPresent()) {
      throw new IllegalStateException("a fresh key replayed");
    }
    accounts.find(account).orElseThrow(); // the account check (a GET to payment-service there)
    Order order =
        Order.pending(
            OrderIds.next(route.slot()),
            customer,
            account,
            "EUR",
            100,
            List.of(new Order.Item("bench", 1, 100)));
    IdempotencyStore keys = orderKeys.store();
    orderShards.writeSlot(
        route.slot(),
        db -> {
          if (!(keys.claim(db, request) instanceof Claim.Fresh)) {
            throw new IllegalStateException("a fresh key was not fresh");
          }
          orders.insert(db, order);
          sagas.create(db, order.id(), INLINE_CLAIM);
          keys.inProgress(db, request, order.id().toString(), INLINE_CLAIM);
          return null;
        });

    // SagaRunner.drive: charge, then PAID and CONFIRMED, each read back
    Order now = orders.find(order.id()).orElseThrow();
    charge(now);
    now = record(route.slot(), now, OrderStatus.PAID);
    now = record(route.slot(), now, OrderStatus.CONFIRMED);

    StoredResponse answer = responses.resource(201, now, "/api/orders/" + now.id(), now.etag());
    if (!orderShards.writeSlot(route.slot(), db -> keys.complete(db, request, answer))) {
      throw new IllegalStateException("the order's answer was stored by someone else");
    }
  }

  /** PaymentService.charge, without the lease. */
  private void charge(Order order) {
    int slot = paymentShards.route(order.accountId()).slot();
    String id = PaymentIds.of(slot, order.id().toString());
    PaymentService.Charge charge =
        new PaymentService.Charge(
            order.id().toString(),
            order.accountId(),
            order.totalCents(),
            order.currency(),
            order.customerId());
    IdempotentRequest request =
        paymentKeys.request(
            "order-" + order.id() + "-charge", ORDER_SERVICE, "POST /api/payments", charge);
    if (paymentKeys.replayIfCompleted(slot, request).isPresent()) {
      throw new IllegalStateException("a fresh charge replayed");
    }
    Account payer = accounts.find(order.accountId()).orElseThrow();
    Outcome outcome =
        paymentKeys.execute(
            slot,
            request,
            db -> capture.capture(db, id, charge, payer.ownerId(), ORDER_SERVICE, 0));
    if (outcome.response().status() != 201 || !outcome.response().body().contains("\"CAPTURED\"")) {
      throw new IllegalStateException("the floor's charge failed: " + outcome.response().body());
    }
  }

  /** SagaRunner.record: the fenced transition, then the order as the runner reads it next. */
  private Order record(int slot, Order order, OrderStatus to) {
    orderShards.writeSlot(
        slot,
        db -> {
          if (!sagas.fence(db, order.id(), 0)
              || !orders.transition(db, order.id(), order.revision(), to, null)) {
            throw new IllegalStateException("the floor's saga moved under it");
          }
          if (to.isTerminal()) {
            sagas.finish(db, order.id(), to);
          } else {
            sagas.claim(db, order.id(), INLINE_CLAIM);
          }
          return null;
        });
    return orders.find(order.id()).orElseThrow();
  }

  @Override
  public void close() {
    shards.close();
  }
}
