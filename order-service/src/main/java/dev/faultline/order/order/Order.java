package dev.faultline.order.order;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as clients see it, with the history of its status changes. */
public record Order(
    UUID id,
    String customerId,
    String accountId,
    String currency,
    long totalCents,
    OrderStatus status,
    long revision,
    Instant createdAt,
    List<StatusChange> history) {

  public record StatusChange(OrderStatus status, Instant at) {}
}
