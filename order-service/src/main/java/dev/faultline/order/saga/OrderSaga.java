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
 *   PENDING | PAID | CONFIRMED | PARTIALLY_REFUNDED  + CancelRequested -> REFUNDING
 *                                                              (the compensation: the rest back)
 *   CONFIRMED | PARTIALLY_REFUNDED  + RefundRequested(n) -> PARTIALLY_REFUNDING
 *   PARTIALLY_REFUNDING  --refund part-->  PartRefunded -> PARTIALLY_REFUNDED, or REFUNDED when
 *                                          nothing is left;  RefundRefused -> where it was
 * </pre>
 *
 * <p>One partial refund runs at a time, each under its own operation ID ({@code
 * order-<id>-refund-<n>}); a cancel waits for it (409 meanwhile), so the cancel's refund of "the
 * rest" never races a part in flight.
 *
 * <p>A step whose outcome is unknown (timeout, 5xx, crash, open circuit) produces no event: the
 * runner retries the same step with the same operation ID later, which is safe because the payment
 * service applies each operation at most once. A cancel while the charge's outcome is unknown is
 * safe too: the refund either returns the captured money or voids the charge before it lands.
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

    /** Refund the requested part: {@code order-<id>-refund-<n>}, the order's n-th. */
    record RefundPart() implements Step {}
  }

  /** What happened: a step's definitive outcome, or the customer's cancel. */
  public sealed interface Event {
    record Captured() implements Event {}

    /** The charge was refused for good: no money moved. */
    record Declined(String reason) implements Event {}

    record Confirmed() implements Event {}

    record CancelRequested() implements Event {}

    record Refunded(long amountCents) implements Event {}

    /** The customer asked for part of the total back. */
    record RefundRequested(long amountCents) implements Event {}

    /** The part went back; {@code remainingCents} of the total is still paid. */
    record PartRefunded(long amountCents, long remainingCents) implements Event {}

    /** The payment service refused the part for good; {@code earlier}: parts went back before. */
    record RefundRefused(String reason, boolean earlier) implements Event {}
  }

  /** The step to run in {@code status}; empty once the saga is over. */
  public static Optional<Step> stepFor(OrderStatus status) {
    return switch (status) {
      case PENDING -> Optional.of(new Step.Charge());
      case PAID -> Optional.of(new Step.Confirm());
      case REFUNDING -> Optional.of(new Step.Refund());
      case PARTIALLY_REFUNDING -> Optional.of(new Step.RefundPart());
      case CONFIRMED, REJECTED, CANCELLED, PARTIALLY_REFUNDED, REFUNDED -> Optional.empty();
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
          case CONFIRMED, PARTIALLY_REFUNDED ->
              switch (event) {
                case Event.CancelRequested cancel -> OrderStatus.REFUNDING;
                case Event.RefundRequested refund -> OrderStatus.PARTIALLY_REFUNDING;
                default -> null;
              };
          case PARTIALLY_REFUNDING ->
              switch (event) {
                case Event.PartRefunded part ->
                    part.remainingCents() == 0
                        ? OrderStatus.REFUNDED
                        : OrderStatus.PARTIALLY_REFUNDED;
                case Event.RefundRefused refused ->
                    refused.earlier() ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.CONFIRMED;
                default -> null;
              };
          case REFUNDING -> event instanceof Event.Refunded ? OrderStatus.CANCELLED : null;
          case REJECTED, CANCELLED, REFUNDED -> null;
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
      case Event.RefundRequested requested -> "refund of " + requested.amountCents() + " requested";
      case Event.PartRefunded part -> "refunded " + part.amountCents();
      case Event.RefundRefused refused -> "refund refused: " + refused.reason();
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
