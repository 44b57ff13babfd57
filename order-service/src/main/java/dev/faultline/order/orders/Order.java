package dev.faultline.order.orders;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An order as clients see it, with its items and the history of its status changes. */
public record Order(
    UUID id,
    String customerId,
    String accountId,
    String currency,
    long totalCents,
    OrderStatus status,
    long revision,
    Instant createdAt,
    List<Item> items,
    List<StatusChange> history) {

  public record Item(String sku, int quantity, long unitPriceCents) {}

  /** One status the order entered, when, and why (a decline reason, say). */
  public record StatusChange(OrderStatus status, Instant at, @Nullable String detail) {}

  public String etag() {
    return "\"" + revision + "\"";
  }
}
