package dev.faultline.order.order;

import java.util.UUID;

/** No order with this ID exists on any shard. */
public final class OrderNotFoundException extends RuntimeException {
  public OrderNotFoundException(UUID id) {
    super("no order " + id);
  }
}
