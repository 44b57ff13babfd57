package dev.faultline.order.orders;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An order as clients see it, with its items, the history of its status changes, and its refunds:
 * {@code refundedCents} returned so far, {@code refundPendingCents} on its way back.
 */
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
    List<StatusChange> history,
    long refundedCents,
    long refundPendingCents,
    @JsonIgnore int partialRefunds) {

  /** A new order, before its saga's first step. */
  public static Order pending(
      UUID id,
      String customerId,
      String accountId,
      String currency,
      long totalCents,
      List<Item> items) {
    return new Order(
        id,
        customerId,
        accountId,
        currency,
        totalCents,
        OrderStatus.PENDING,
        1,
        Instant.now(),
        items,
        List.of(),
        0,
        0,
        0);
  }

  /** What may still be refunded: the total less what went back and what is on its way. */
  public long refundableCents() {
    return totalCents - refundedCents - refundPendingCents;
  }

  public record Item(String sku, int quantity, long unitPriceCents) {}

  /** One status the order entered, when, and why (a decline reason, say). */
  public record StatusChange(OrderStatus status, Instant at, @Nullable String detail) {}

  public String etag() {
    return "\"" + revision + "\"";
  }
}
