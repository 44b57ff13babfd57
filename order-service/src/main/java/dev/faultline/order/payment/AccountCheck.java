package dev.faultline.order.payment;

/** What the payment service says about an account an order wants to charge. */
public sealed interface AccountCheck {
  record Found(String ownerId, String currency) implements AccountCheck {}

  record Missing() implements AccountCheck {}

  record Unavailable(String reason) implements AccountCheck {}
}
