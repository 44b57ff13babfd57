package dev.faultline.order.saga;

import dev.faultline.failpoints.Failpoints;
import dev.faultline.order.orders.Order;
import dev.faultline.order.orders.OrderStatus;
import dev.faultline.order.orders.Orders;
import dev.faultline.order.payment.PaymentOutcome;
import dev.faultline.order.payment.PaymentsClient;
import dev.faultline.shard.ShardClient;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Drives one saga forward: read the order, run the step its state calls for ({@link OrderSaga}),
 * record the outcome, repeat until it is terminal, the step's outcome is unknown (then it is
 * scheduled for a retry with backoff) or the caller's deadline passes.
 *
 * <p>Recording is one transaction on the order's shard: the saga row's fence (the driver's token
 * against the newest that wrote it), the order's status by optimistic revision, its history entry,
 * and the saga's bookkeeping. A driver that loses either check re-reads (a cancel came in) or stops
 * (a newer driver owns the saga). Two drivers running one step at once are harmless: the payment
 * service applies each operation ID once, and only one of them records the outcome.
 */
@Component
public class SagaRunner {
  /** Failpoint: the charge was captured, PAID is not recorded yet. */
  public static final String CHARGED = "order-saga.charged";

  /** Failpoint: PAID is recorded, CONFIRMED not yet. */
  public static final String PAID = "order-saga.paid";

  private static final Logger log = LoggerFactory.getLogger(SagaRunner.class);
  private static final int MAX_ROUNDS = 8;

  private final ShardClient shards;
  private final Orders orders;
  private final SagaStore store;
  private final PaymentsClient payments;
  private final SagaMetrics metrics;
  private final SagaProperties properties;
  private final Backoff backoff;

  SagaRunner(
      ShardClient shards,
      Orders orders,
      SagaStore store,
      PaymentsClient payments,
      SagaMetrics metrics,
      SagaProperties properties) {
    this.shards = shards;
    this.orders = orders;
    this.store = store;
    this.payments = payments;
    this.metrics = metrics;
    this.properties = properties;
    this.backoff = new Backoff(properties.baseBackoff(), properties.maxBackoff());
  }

  /**
   * Drives the saga of order {@code id} with fencing token {@code token} until it is terminal, its
   * step's outcome is unknown, or {@code budget} has passed; returns the order as it then is.
   */
  public Optional<Order> drive(UUID id, long token, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    int slot = orders.slotOf(id);
    Optional<Order> current = orders.find(id);
    for (int round = 0; round < MAX_ROUNDS && current.isPresent(); round++) {
      Order order = current.get();
      Optional<OrderSaga.Step> step = OrderSaga.stepFor(order.status());
      if (step.isEmpty() || System.nanoTime() >= deadline) {
        return current;
      }
      Optional<OrderSaga.Event> event = run(step.get(), order, token);
      if (event.isEmpty()) {
        return current;
      }
      Recorded recorded = record(slot, order, event.get(), token);
      if (recorded == Recorded.FENCED_OUT) {
        return current;
      }
      if (recorded == Recorded.MOVED && event.get() instanceof OrderSaga.Event.Captured) {
        Failpoints.hit(PAID);
      }
      current = orders.find(id);
    }
    return current;
  }

  /** Runs a step; empty when its outcome is unknown (a retry has been scheduled). */
  private Optional<OrderSaga.Event> run(OrderSaga.Step step, Order order, long token) {
    return switch (step) {
      case OrderSaga.Step.Charge charge ->
          switch (payments.charge(order)) {
            case PaymentOutcome.Captured captured -> {
              metrics.step("charge", "ok");
              Failpoints.hit(CHARGED);
              yield Optional.of(new OrderSaga.Event.Captured());
            }
            case PaymentOutcome.Declined declined -> {
              metrics.step("charge", "ok");
              yield Optional.of(new OrderSaga.Event.Declined(declined.reason()));
            }
            case PaymentOutcome.Unknown unknown ->
                retryLater(order, token, "charge", unknown.reason());
            case PaymentOutcome.Refunded refunded ->
                throw new IllegalStateException("a charge answered as a refund");
          };
      case OrderSaga.Step.Confirm confirm -> Optional.of(new OrderSaga.Event.Confirmed());
      case OrderSaga.Step.Refund refund ->
          switch (payments.refund(order)) {
            case PaymentOutcome.Refunded refunded -> {
              metrics.step("refund", "ok");
              yield Optional.of(new OrderSaga.Event.Refunded(refunded.amountCents()));
            }
            case PaymentOutcome.Unknown unknown ->
                retryLater(order, token, "refund", unknown.reason());
            case PaymentOutcome.Captured captured ->
                throw new IllegalStateException("a refund answered as a charge");
            case PaymentOutcome.Declined declined ->
                throw new IllegalStateException("a refund answered as a decline");
          };
      case OrderSaga.Step.RefundPart part ->
          switch (payments.refundPart(order)) {
            case PaymentOutcome.Refunded refunded -> {
              metrics.step("refund", "ok");
              yield Optional.of(
                  new OrderSaga.Event.PartRefunded(
                      refunded.amountCents(),
                      order.totalCents() - order.refundedCents() - refunded.amountCents()));
            }
            case PaymentOutcome.Declined refused -> {
              metrics.step("refund", "ok");
              yield Optional.of(
                  new OrderSaga.Event.RefundRefused(refused.reason(), order.refundedCents() > 0));
            }
            case PaymentOutcome.Unknown unknown ->
                retryLater(order, token, "refund", unknown.reason());
            case PaymentOutcome.Captured captured ->
                throw new IllegalStateException("a refund answered as a charge");
          };
    };
  }

  private Optional<OrderSaga.Event> retryLater(
      Order order, long token, String step, String reason) {
    metrics.step(step, "unknown");
    Duration delay =
        shards.writeSlot(
            orders.slotOf(order.id()),
            db -> {
              if (!store.fence(db, order.id(), token)) {
                return Duration.ZERO; // a newer driver owns the saga and its schedule
              }
              int attempt = store.failed(db, order.id(), step + ": " + reason);
              Duration wait =
                  backoff.delay(attempt, bound -> ThreadLocalRandom.current().nextLong(bound));
              store.retryAfter(db, order.id(), wait);
              return wait;
            });
    log.info(
        "saga {}: {} outcome unknown ({}); retrying in {} ms",
        order.id(),
        step,
        reason,
        delay.toMillis());
    return Optional.empty();
  }

  private enum Recorded {
    MOVED,
    CHANGED_MEANWHILE,
    FENCED_OUT
  }

  private Recorded record(int slot, Order order, OrderSaga.Event event, long token) {
    OrderStatus to = OrderSaga.next(order.status(), event);
    record Result(Recorded recorded, double seconds) {}
    Result result;
    try {
      result =
          shards.writeSlot(
              slot,
              db -> {
                if (!store.fence(db, order.id(), token)) {
                  return new Result(Recorded.FENCED_OUT, 0);
                }
                if (!orders.transition(
                    db,
                    order.id(),
                    order.revision(),
                    to,
                    OrderSaga.detail(event),
                    refundChange(event))) {
                  throw new ChangedMeanwhile();
                }
                if (to.isTerminal()) {
                  return new Result(Recorded.MOVED, store.finish(db, order.id(), to));
                }
                store.claim(db, order.id(), properties.inlineClaim());
                return new Result(Recorded.MOVED, -1);
              });
    } catch (ChangedMeanwhile e) {
      // A cancel moved the order while the step ran: decide again from its new state.
      return Recorded.CHANGED_MEANWHILE;
    }
    if (result.seconds() >= 0) {
      metrics.completed(to, result.seconds());
    }
    if (result.recorded() == Recorded.FENCED_OUT) {
      log.info("saga {}: a newer driver owns it (token {} is stale)", order.id(), token);
    }
    return result.recorded();
  }

  /** What an event does to the order's refund amounts. */
  private static Orders.RefundChange refundChange(OrderSaga.Event event) {
    return switch (event) {
      case OrderSaga.Event.Refunded refunded ->
          Orders.RefundChange.returned(refunded.amountCents());
      case OrderSaga.Event.PartRefunded part -> Orders.RefundChange.returned(part.amountCents());
      case OrderSaga.Event.RefundRefused refused -> Orders.RefundChange.returned(0);
      default -> Orders.RefundChange.NONE;
    };
  }

  /** Rolls the recording transaction back (fence included) when the order moved meanwhile. */
  private static final class ChangedMeanwhile extends RuntimeException {
    ChangedMeanwhile() {
      super(null, null, false, false);
    }
  }
}
