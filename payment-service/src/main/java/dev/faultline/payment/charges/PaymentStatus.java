package dev.faultline.payment.charges;

/** Where a payment is. */
public enum PaymentStatus {
  /** Money moved from the account to revenue (possibly partly refunded since). */
  CAPTURED,
  /** The account could not cover it: nothing moved. A business outcome, not an error. */
  DECLINED,
  /** Captured, then refunded in full. */
  REFUNDED,
  /** A refund came first: the tombstone that makes the late charge fail. */
  VOIDED
}
