package dev.faultline.order.saga;

import dev.faultline.order.orders.OrderStatus;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The order saga, top to bottom. No two-phase commit: each step is a local transaction here or an
 * idempotent operation at the payment service (keyed by an operation ID derived from the order),
 * and a failure ends in a compensation or a forward retry, never in a guess.
 *
 * <pre>
 *   PENDING   --charge-->   Captured  -> PAID        Declined -> REJECTED
 *   PAID      --confirm-->  Confirmed -> CONFIRMED
 *   REFUNDING --refund-->   Refunded  -> CANCELLED
 *   PENDING | PAID | CONFIRMED  + CancelRequested -> REFUNDING   (the compensation)
 * </pre>
 *
 * A step whose outcome is unknown (timeout, 5xx, crash, open circuit) produces no event: the runner
 * retries the same step with the same operation ID later, which is safe because the payment service
 * applies each operation at most once. A cancel while the charge's outcome is unknown is safe too:
 * the refund either returns the captured money or voids the charge before it lands.
 */
public final class OrderSaga {
  private OrderSaga() {}

  /** What the saga does in a state. */
  public sealed interface Step {
    /** Charge the order's total to its account: {@code order-<id>-charge}. */
    record Charge() implements Step {}

    /** Confirm the paid order (local). */
    record Confirm() implements Step {}

    /** Refund whatever the charge captured, or void it: {@code order-<id>-refund}. */
    record Refund() implements Step {}
  }

  /** What happened: a step's definitive outcome, or the customer's cancel. */
  public sealed interface Event {
    record Captured() implements Event {}

    /** The charge was refused for good: no money moved. */
    record Declined(String reason) implements Event {}

    record Confirmed() implements Event {}

    record CancelRequested() implements Event {}

    record Refunded(long amountCents) implements Event {}
  }

  /** The step to run in {@code status}; empty once the saga is over. */
  public static Optional<Step> stepFor(OrderStatus status) {
    return switch (status) {
      case PENDING -> Optional.of(new Step.Charge());
      case PAID -> Optional.of(new Step.Confirm());
      case REFUNDING -> Optional.of(new Step.Refund());
      case CONFIRMED, REJECTED, CANCELLED -> Optional.empty();
    };
  }

  /** Where {@code event} takes an order in {@code status}. */
  public static OrderStatus next(OrderStatus status, Event event) {
    OrderStatus to =
        switch (status) {
          case PENDING ->
              switch (event) {
                case Event.Captured captured -> OrderStatus.PAID;
                case Event.Declined declined -> OrderStatus.REJECTED;
                case Event.CancelRequested cancel -> OrderStatus.REFUNDING;
                default -> null;
              };
          case PAID ->
              switch (event) {
                case Event.Confirmed confirmed -> OrderStatus.CONFIRMED;
                case Event.CancelRequested cancel -> OrderStatus.REFUNDING;
                default -> null;
              };
          case CONFIRMED -> event instanceof Event.CancelRequested ? OrderStatus.REFUNDING : null;
          case REFUNDING -> event instanceof Event.Refunded ? OrderStatus.CANCELLED : null;
          case REJECTED, CANCELLED -> null;
        };
    if (to == null) {
      throw new IllegalTransition(status, event);
    }
    return to;
  }

  /** Whether {@code event} may happen in {@code status}. */
  public static boolean allows(OrderStatus status, Event event) {
    try {
      next(status, event);
      return true;
    } catch (IllegalTransition e) {
      return false;
    }
  }

  /** The history entry's detail for an event (a decline's reason), if any. */
  public static @Nullable String detail(Event event) {
    return switch (event) {
      case Event.Declined declined -> declined.reason();
      case Event.Refunded refunded -> "refunded " + refunded.amountCents();
      default -> null;
    };
  }

  /** An event that cannot happen in a state: a bug, or a stale view (re-read and decide again). */
  public static final class IllegalTransition extends RuntimeException {
    IllegalTransition(OrderStatus status, Event event) {
      super(event.getClass().getSimpleName() + " cannot happen to an order in " + status);
    }
  }
}
