package dev.faultline.order.payment;

/** What a call to the payment service established. */
public sealed interface PaymentOutcome {

  /** The charge captured the money (now or on an earlier try with the same operation ID). */
  record Captured(String paymentId) implements PaymentOutcome {}

  /** The charge was refused for good (insufficient funds, voided, not the customer's account). */
  record Declined(String reason) implements PaymentOutcome {}

  /** The refund is done: {@code amountCents} returned (0 for an empty compensation or a void). */
  record Refunded(long amountCents) implements PaymentOutcome {}

  /**
   * Nobody knows (timeout, 5xx, connection lost after sending, circuit open, key in use): the same
   * operation must be retried with the same ID.
   */
  record Unknown(String reason) implements PaymentOutcome {}
}
