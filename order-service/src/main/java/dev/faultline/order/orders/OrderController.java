package dev.faultline.order.orders;

import dev.faultline.contract.Ids;
import dev.faultline.contract.IsoCurrency;
import dev.faultline.contract.Money;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.IfMatch;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Orders: place (runs the saga), read with history, list a customer's, cancel. */
@RestController
@Validated
@RequestMapping("/api/orders")
class OrderController {
  private final OrderService service;
  private final Idempotency idempotency;

  OrderController(OrderService service, Idempotency idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  record ItemBody(
      @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String sku,
      @NotNull @Min(1) @Max(10_000) Integer quantity,
      @NotNull @Min(0) @Max(1_000_000_000L) Long unitPriceCents) {}

  record PlaceOrderBody(
      @NotNull @Pattern(regexp = Ids.PATTERN) String customerId,
      @NotNull @Pattern(regexp = Ids.PATTERN) String accountId,
      @NotNull @IsoCurrency String currency,
      @NotEmpty @Size(max = 100) List<@Valid @NotNull ItemBody> items) {}

  @PostMapping
  ResponseEntity<String> place(
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @Valid @RequestBody PlaceOrderBody body,
      Caller caller) {
    return service
        .place(
            idempotency.request(key, caller.subject(), "POST /api/orders", body),
            new OrderService.NewOrder(
                body.customerId(),
                body.accountId(),
                body.currency(),
                body.items().stream()
                    .map(i -> new Order.Item(i.sku(), i.quantity(), i.unitPriceCents()))
                    .toList()),
            caller)
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  ResponseEntity<Order> get(@PathVariable UUID id, Caller caller) {
    Order order = service.get(id, caller);
    return ResponseEntity.ok().eTag(order.etag()).body(order);
  }

  @GetMapping
  List<Order> byCustomer(
      @RequestParam @Pattern(regexp = Ids.PATTERN) String customerId,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      Caller caller) {
    return service.byCustomer(customerId, limit, caller);
  }

  @PostMapping("/{id}/cancel")
  ResponseEntity<String> cancel(
      @PathVariable UUID id,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable IfMatch ifMatch,
      Caller caller) {
    return service
        .cancel(
            id,
            idempotency.request(key, caller.subject(), "POST /api/orders/" + id + "/cancel", null),
            ifMatch,
            caller)
        .toResponseEntity();
  }

  /** A partial refund names at least a cent, and at most what any amount may be. */
  record RefundBody(@NotNull @Min(1) @Max(Money.MAX_CENTS) Long amountCents) {}

  /**
   * A partial refund, keyed: 202 with the order PARTIALLY_REFUNDING while its saga returns the
   * part; the order then shows it in {@code refundedCents}.
   */
  @PostMapping("/{id}/refunds")
  ResponseEntity<String> refund(
      @PathVariable UUID id,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable IfMatch ifMatch,
      @Valid @RequestBody RefundBody body,
      Caller caller) {
    return service
        .refund(
            id,
            idempotency.request(key, caller.subject(), "POST /api/orders/" + id + "/refunds", body),
            body.amountCents(),
            ifMatch,
            caller)
        .toResponseEntity();
  }
}
