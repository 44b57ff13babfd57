package dev.faultline.order.orders;

import dev.faultline.web.problem.Rejection;

/** What order requests can be refused for. */
public final class OrderRejections {
  private OrderRejections() {}

  public static final class OrderNotFound extends Rejection {
    public OrderNotFound(Object id) {
      super(404, "order-not-found", "Order not found", "no order " + id);
    }
  }

  public static final class TotalOutOfRange extends Rejection {
    public TotalOutOfRange() {
      super(
          400,
          "bad-request",
          "Bad request",
          "the order's total must be between 1 and 1000000000000 minor units");
    }
  }

  public static final class NotCancellable extends Rejection {
    public NotCancellable(Object id, OrderStatus status) {
      super(
          409,
          "order-not-cancellable",
          "Order not cancellable",
          "order "
              + id
              + " is "
              + status
              + (status == OrderStatus.PARTIALLY_REFUNDING
                  ? ": a partial refund is on its way; cancel once it is done"
                  : ": there is nothing to cancel"));
    }
  }

  public static final class NotRefundable extends Rejection {
    public NotRefundable(Object id, OrderStatus status) {
      super(
          409,
          "order-not-refundable",
          "Order not refundable",
          "order "
              + id
              + " is "
              + status
              + ": only a CONFIRMED or PARTIALLY_REFUNDED order with no refund in flight can be"
              + " partly refunded");
    }
  }

  public static final class RefundExceedsOrder extends Rejection {
    public RefundExceedsOrder(Object id, long asked, long refundable) {
      super(
          422,
          "refund-exceeds-order",
          "Refund exceeds the order",
          "order " + id + " has " + refundable + " cents left to refund, not " + asked);
    }
  }

  /** The payment service cannot answer now: nothing was created; retry with the same key. */
  public static final class PaymentsUnavailable extends Rejection {
    public PaymentsUnavailable(String why) {
      super(
          503,
          "payments-unavailable",
          "Payment service unavailable",
          "the account cannot be checked now (" + why + "); retry with the same key");
    }
  }
}
