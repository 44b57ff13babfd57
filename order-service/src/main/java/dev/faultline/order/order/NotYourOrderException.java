package dev.faultline.order.order;

/** The caller is a customer asking for another customer's orders. */
public final class NotYourOrderException extends RuntimeException {
  public NotYourOrderException(String detail) {
    super(detail);
  }
}
