package dev.faultline.payment.charges;

import dev.faultline.web.problem.Rejection;

/** What payment requests can be refused for. */
public final class PaymentRejections {
  private PaymentRejections() {}

  public static final class PaymentNotFound extends Rejection {
    public PaymentNotFound(String id) {
      super(404, "payment-not-found", "Payment not found", "no payment " + id);
    }
  }

  /** A refund came first for this operation ID: its charge must not happen any more. */
  public static final class PaymentVoided extends Rejection {
    public PaymentVoided(String id) {
      super(
          409,
          "payment-voided",
          "Payment voided",
          "payment " + id + " was refunded before it was charged; it will not be charged");
    }
  }

  public static final class PaymentConflict extends Rejection {
    public PaymentConflict(String id) {
      super(
          409,
          "payment-conflict",
          "Payment conflict",
          "payment " + id + " exists with other terms (account, amount or currency)");
    }
  }

  public static final class RefundExceedsCharge extends Rejection {
    public RefundExceedsCharge(String id, long asked, long refundable) {
      super(
          422,
          "refund-exceeds-charge",
          "Refund exceeds charge",
          "payment " + id + " has " + refundable + " refundable, not " + asked);
    }
  }

  /** The charge landed while its refund was deciding: nothing changed, retry. */
  /** A payment the order saga charged is refunded only through its order. */
  public static final class RefundThroughOrder extends Rejection {
    public RefundThroughOrder(String id, String orderId) {
      super(
          403,
          "refund-through-order",
          "Refund through the order",
          "payment "
              + id
              + " belongs to order "
              + orderId
              + ": refund it with POST /api/orders/"
              + orderId
              + "/refunds (or cancel the order), so the order records what went back");
    }
  }

  public static final class RaceWithCharge extends Rejection {
    public RaceWithCharge(String id) {
      super(503, "payment-changing", "Payment changing", "payment " + id + " changed; retry");
    }
  }
}
