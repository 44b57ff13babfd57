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
          "order " + id + " is " + status + ": there is nothing to cancel");
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
