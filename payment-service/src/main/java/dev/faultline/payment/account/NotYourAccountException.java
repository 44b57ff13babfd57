package dev.faultline.payment.account;

/** A customer asked for an account another customer owns. */
public final class NotYourAccountException extends RuntimeException {
  public NotYourAccountException(String id) {
    super("account " + id + " belongs to another customer");
  }
}
