package dev.faultline.order.orders;

/**
 * Where an order is in its saga (see DESIGN.md and {@code OrderSaga}): five states where the saga
 * rests, four in flight. A resting order may still be cancelled or partly refunded, which reopens
 * its saga for one more leg.
 */
public enum OrderStatus {
  PENDING,
  PAID,
  CONFIRMED,
  REJECTED,
  REFUNDING,
  CANCELLED,
  /** A partial refund the customer asked for is on its way back. */
  PARTIALLY_REFUNDING,
  /** Part of the total went back ({@code refundedCents}); the rest stays paid. */
  PARTIALLY_REFUNDED,
  /** Partial refunds returned the whole total. */
  REFUNDED;

  /** The saga is at rest: nothing more will happen to the money unless a client asks. */
  public boolean isTerminal() {
    return switch (this) {
      case CONFIRMED, REJECTED, CANCELLED, PARTIALLY_REFUNDED, REFUNDED -> true;
      case PENDING, PAID, REFUNDING, PARTIALLY_REFUNDING -> false;
    };
  }
}
