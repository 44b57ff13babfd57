package dev.faultline.order.orders;

import dev.faultline.contract.Money;
import dev.faultline.idempotency.Claim;
import dev.faultline.idempotency.IdempotencyStore;
import dev.faultline.idempotency.IdempotentRequest;
import dev.faultline.idempotency.StoredResponse;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.idempotency.web.Outcome;
import dev.faultline.order.payment.AccountCheck;
import dev.faultline.order.payment.PaymentsClient;
import dev.faultline.order.saga.OrderSaga;
import dev.faultline.order.saga.SagaProperties;
import dev.faultline.order.saga.SagaRunner;
import dev.faultline.order.saga.SagaStore;
import dev.faultline.ring.Route;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.IfMatch;
import dev.faultline.web.problem.Rejection;
import dev.faultline.web.problem.Rejections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Placing and cancelling orders.
 *
 * <p>Placing is a keyed request answered in two steps. First, one transaction on the customer's
 * shard: the key's record (IN_PROGRESS, with the new order's ID as its recovery point), the PENDING
 * order, its items and its saga. Then the saga runs inline for up to {@code respond-within}, and
 * the answer (201 when the saga finished, else 202) is stored on the key. A retry while the first
 * runs gets 409; after it, the stored answer; after a crash between the two steps (the key's lock
 * ran out), an answer made from the order as it is then, while the recovery worker finishes its
 * saga.
 */
@Service
public class OrderService implements DisposableBean {

  private final ShardClient shards;
  private final Orders orders;
  private final SagaStore sagas;
  private final SagaRunner runner;
  private final PaymentsClient payments;
  private final Idempotency idempotency;
  private final SagaProperties properties;
  private final ExecutorService compensations = Executors.newVirtualThreadPerTaskExecutor();

  OrderService(
      ShardClient shards,
      Orders orders,
      SagaStore sagas,
      SagaRunner runner,
      PaymentsClient payments,
      Idempotency idempotency,
      SagaProperties properties) {
    this.shards = shards;
    this.orders = orders;
    this.sagas = sagas;
    this.runner = runner;
    this.payments = payments;
    this.idempotency = idempotency;
    this.properties = properties;
  }

  public record NewOrder(
      String customerId, String accountId, String currency, List<Order.Item> items) {}

  public Outcome place(IdempotentRequest request, NewOrder body, Caller caller) {
    if (!caller.mayActFor(body.customerId())) {
      throw new Rejections.Forbidden("a customer places orders only for themselves");
    }
    long total = total(body.items());
    Route route = shards.route(body.customerId());
    Optional<Outcome> replay = idempotency.replayIfCompleted(route.slot(), request);
    if (replay.isPresent()) {
      return replay.get();
    }
    Optional<Rejection> refusal = checkAccount(body);
    if (refusal.isPresent()) {
      return idempotency.refuse(route.slot(), request, refusal.get());
    }
    Order order =
        Order.pending(
            OrderIds.next(route.slot()),
            body.customerId(),
            body.accountId(),
            body.currency(),
            total,
            body.items());
    IdempotencyStore keys = idempotency.store();
    Started started =
        shards.writeSlot(
            route.slot(),
            db ->
                switch (keys.claim(db, request)) {
                  case Claim.Replay(StoredResponse stored) ->
                      new Started(null, idempotency.replayed(stored));
                  case Claim.InProgress inProgress -> throw idempotency.inProgress();
                  case Claim.Mismatch mismatch -> throw idempotency.mismatch();
                  case Claim.Abandoned(String orderId) ->
                      new Started(UUID.fromString(orderId), null);
                  case Claim.Fresh fresh -> {
                    orders.insert(db, order);
                    sagas.create(db, order.id(), properties.inlineClaim());
                    keys.inProgress(db, request, order.id().toString(), properties.inlineClaim());
                    yield new Started(order.id(), null, true);
                  }
                });
    if (started.replay() != null) {
      return started.replay();
    }
    Order now =
        started.fresh()
            ? runner.drive(started.orderId(), 0, properties.respondWithin()).orElseThrow()
            : orders.find(started.orderId()).orElseThrow();
    StoredResponse response = render(now.status().isTerminal() ? 201 : 202, now);
    boolean stored = shards.writeSlot(route.slot(), db -> keys.complete(db, request, response));
    if (!stored) {
      // A retry answered for us after our lock ran out: its answer is the one that stands.
      return idempotency.replayIfCompleted(route.slot(), request).orElseThrow();
    }
    return new Outcome(response, false);
  }

  private record Started(@Nullable UUID orderId, @Nullable Outcome replay, boolean fresh) {
    Started(@Nullable UUID orderId, @Nullable Outcome replay) {
      this(orderId, replay, false);
    }
  }

  /** The account must exist, belong to the order's customer and hold the order's currency. */
  private Optional<Rejection> checkAccount(NewOrder body) {
    return switch (payments.account(body.accountId())) {
      case AccountCheck.Missing missing ->
          Optional.of(new Rejections.UnknownAccount(body.accountId()));
      case AccountCheck.Found found when !found.ownerId().equals(body.customerId()) ->
          Optional.of(
              new Rejections.Forbidden(
                  "an order may charge only an account its customer owns, not "
                      + body.accountId()));
      case AccountCheck.Found found when !found.currency().equals(body.currency()) ->
          Optional.of(new Rejections.CurrencyMismatch("order", found.currency(), body.currency()));
      case AccountCheck.Found found -> Optional.empty();
      case AccountCheck.Unavailable unavailable ->
          throw new OrderRejections.PaymentsUnavailable(unavailable.reason());
    };
  }

  static long total(List<Order.Item> items) {
    try {
      long total = 0;
      for (Order.Item item : items) {
        total = Math.addExact(total, Math.multiplyExact(item.unitPriceCents(), item.quantity()));
      }
      if (total < 1 || total > Money.MAX_CENTS) {
        throw new OrderRejections.TotalOutOfRange();
      }
      return total;
    } catch (ArithmeticException e) {
      throw new OrderRejections.TotalOutOfRange();
    }
  }

  public Order get(UUID id, Caller caller) {
    Order order = orders.findForReader(id).orElseThrow(() -> new OrderRejections.OrderNotFound(id));
    if (!caller.mayActFor(order.customerId())) {
      throw new Rejections.Forbidden("order " + id + " belongs to another customer");
    }
    return order;
  }

  public List<Order> byCustomer(String customerId, int limit, Caller caller) {
    if (!caller.mayActFor(customerId)) {
      throw new Rejections.Forbidden("a customer may list only their own orders");
    }
    return orders.byCustomer(customerId, limit);
  }

  /**
   * Starts the compensation: the order goes to REFUNDING (202) and its saga refunds the charge, or
   * voids it if it has not landed. From REJECTED or CANCELLED there is nothing to cancel (409).
   */
  public Outcome cancel(
      UUID id, IdempotentRequest request, @Nullable IfMatch ifMatch, Caller caller) {
    return reopenSaga(
        id,
        request,
        ifMatch,
        caller,
        (db, order) -> {
          if (order.status() == OrderStatus.REFUNDING) {
            return false; // cancelled already, under another key: the same answer, its saga as is
          }
          if (!OrderSaga.allows(order.status(), new OrderSaga.Event.CancelRequested())) {
            throw new OrderRejections.NotCancellable(id, order.status());
          }
          orders.transition(
              db,
              id,
              order.revision(),
              OrderStatus.REFUNDING,
              "cancel requested by " + caller.subject());
          return true;
        });
  }

  /**
   * Starts a partial refund of {@code amountCents}: the order goes to PARTIALLY_REFUNDING (202) and
   * its saga refunds that part under the order's next refund operation ID. Only a CONFIRMED or
   * PARTIALLY_REFUNDED order with that much still paid can (409, 422 otherwise); one part at a
   * time.
   */
  public Outcome refund(
      UUID id,
      IdempotentRequest request,
      long amountCents,
      @Nullable IfMatch ifMatch,
      Caller caller) {
    return reopenSaga(
        id,
        request,
        ifMatch,
        caller,
        (db, order) -> {
          OrderSaga.Event requested = new OrderSaga.Event.RefundRequested(amountCents);
          if (!OrderSaga.allows(order.status(), requested)) {
            throw new OrderRejections.NotRefundable(id, order.status());
          }
          if (amountCents > order.refundableCents()) {
            throw new OrderRejections.RefundExceedsOrder(id, amountCents, order.refundableCents());
          }
          orders.transition(
              db,
              id,
              order.revision(),
              OrderStatus.PARTIALLY_REFUNDING,
              OrderSaga.detail(requested) + " by " + caller.subject(),
              Orders.RefundChange.requested(amountCents));
          return true;
        });
  }

  /**
   * What a request asks of a locked order it may act on, in the shard transaction: refuse, move it
   * (true: its saga reopens) or leave it as it is (false).
   */
  @FunctionalInterface
  private interface SagaChange {
    boolean apply(JdbcClient db, Order order);
  }

  /**
   * The shape cancel and refund share: a keyed request on the order's shard that locks the order,
   * checks the caller and the {@code If-Match} revision, lets {@code change} move it (reopening its
   * saga) or refuse, and answers 202 with the order as it is now; then the saga runs at once rather
   * than at the recovery worker's next poll (the worker covers a crash).
   */
  private Outcome reopenSaga(
      UUID id,
      IdempotentRequest request,
      @Nullable IfMatch ifMatch,
      Caller caller,
      SagaChange change) {
    if (!orders.canExist(id)) {
      throw new OrderRejections.OrderNotFound(id);
    }
    Outcome outcome =
        idempotency.execute(
            orders.slotOf(id),
            request,
            db -> {
              Order order =
                  orders
                      .find(db, id, true)
                      .orElseThrow(() -> new OrderRejections.OrderNotFound(id));
              if (!caller.mayActFor(order.customerId())) {
                throw new Rejections.Forbidden("order " + id + " belongs to another customer");
              }
              if (!IfMatch.allows(ifMatch, order.etag())) {
                throw new Rejections.StaleRevision("order", id, ifMatch, order.revision());
              }
              if (change.apply(db, order)) {
                sagas.reopen(db, id);
              }
              return render(202, orders.find(db, id, false).orElseThrow());
            });
    if (!outcome.replayed() && outcome.response().status() == 202) {
      compensations.submit(() -> runner.drive(id, 0, properties.respondWithin()));
    }
    return outcome;
  }

  private StoredResponse render(int status, Order order) {
    return idempotency
        .responses()
        .resource(status, order, "/api/orders/" + order.id(), order.etag());
  }

  @Override
  public void destroy() {
    compensations.shutdownNow();
  }
}
