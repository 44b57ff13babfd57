package dev.faultline.order.order;

import dev.faultline.web.problem.Rejection;

/** What order requests can be refused for. */
public final class OrderRejections {
  private OrderRejections() {}

  public static final class OrderNotFound extends Rejection {
    public OrderNotFound(Object id) {
      super(404, "order-not-found", "Order not found", "no order " + id);
    }
  }

  public static final class NotYourOrder extends Rejection {
    public NotYourOrder(String detail) {
      super(403, "forbidden", "Forbidden", detail);
    }
  }

  public static final class UnknownAccount extends Rejection {
    public UnknownAccount(String accountId) {
      super(422, "unknown-account", "Unknown account", "no account " + accountId + " to charge");
    }
  }

  public static final class NotYourAccount extends Rejection {
    public NotYourAccount(String accountId) {
      super(
          403,
          "forbidden",
          "Forbidden",
          "an order may charge only an account its customer owns, not " + accountId);
    }
  }

  public static final class CurrencyMismatch extends Rejection {
    public CurrencyMismatch(String accountCurrency, String currency) {
      super(
          422,
          "currency-mismatch",
          "Currency mismatch",
          "the account holds " + accountCurrency + ", the order is in " + currency);
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

  public static final class StaleRevision extends Rejection {
    public StaleRevision(Object id, String ifMatch, long revision) {
      super(
          412,
          "precondition-failed",
          "Precondition failed",
          "order " + id + " is at revision \"" + revision + "\", not " + ifMatch);
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
