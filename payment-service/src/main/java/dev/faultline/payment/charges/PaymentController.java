package dev.faultline.payment.charges;

import dev.faultline.contract.Ids;
import dev.faultline.contract.IsoCurrency;
import dev.faultline.contract.Money;
import dev.faultline.contract.PaymentIds;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.web.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Payments: charge, read, refund. Every POST needs an Idempotency-Key. */
@RestController
@Validated
@RequestMapping("/api/payments")
class PaymentController {
  private final PaymentService service;
  private final Idempotency idempotency;

  PaymentController(PaymentService service, Idempotency idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  record ChargeBody(
      @NotNull @Pattern(regexp = Ids.PATTERN) String orderId,
      @NotNull @Pattern(regexp = Ids.PATTERN) String accountId,
      @NotNull @Min(1) @Max(Money.MAX_CENTS) Long amountCents,
      @NotNull @IsoCurrency String currency,
      @Pattern(regexp = Ids.PATTERN) @Nullable String customerId) {}

  @PostMapping
  ResponseEntity<String> charge(
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @Valid @RequestBody ChargeBody body,
      Caller caller) {
    return service
        .charge(
            idempotency.request(key, caller.subject(), "POST /api/payments", body),
            new PaymentService.Charge(
                body.orderId(),
                body.accountId(),
                body.amountCents(),
                body.currency(),
                body.customerId()),
            caller)
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  ResponseEntity<Payment> get(
      @PathVariable @Pattern(regexp = PaymentIds.PATTERN) String id, Caller caller) {
    Payment payment = service.get(id, caller);
    return ResponseEntity.ok().eTag(payment.etag()).body(payment);
  }

  /**
   * The body is optional: without an amount, everything still refundable is refunded. An amount is
   * at least a cent: a refund of 0 would record a movement of nothing.
   */
  record RefundBody(@Min(1) @Max(Money.MAX_CENTS) @Nullable Long amountCents) {}

  @PostMapping("/{id}/refunds")
  ResponseEntity<String> refund(
      @PathVariable @Pattern(regexp = PaymentIds.PATTERN) String id,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @Valid @RequestBody(required = false) @Nullable RefundBody body,
      Caller caller) {
    RefundBody refund = body == null ? new RefundBody(null) : body;
    return service
        .refund(
            id,
            idempotency.request(
                key, caller.subject(), "POST /api/payments/" + id + "/refunds", refund),
            refund.amountCents(),
            caller)
        .toResponseEntity();
  }
}
