package dev.faultline.payment.charges;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A payment as clients see it; {@code accountId} is null only for a VOIDED tombstone. */
public record Payment(
    String id,
    String orderId,
    @Nullable String accountId,
    @Nullable String ownerId,
    long amountCents,
    @Nullable String currency,
    PaymentStatus status,
    @Nullable String declineReason,
    long refundedCents,
    long revision,
    Instant createdAt,
    @JsonIgnore @Nullable String chargedBy) {

  public boolean sameTermsAs(String accountId, long amountCents, String currency) {
    return accountId.equals(this.accountId)
        && amountCents == this.amountCents
        && currency.equals(this.currency);
  }

  /** The revision as an entity tag, for {@code If-Match}. */
  public String etag() {
    return "\"" + revision + "\"";
  }

  public long refundableCents() {
    return status == PaymentStatus.CAPTURED ? amountCents - refundedCents : 0;
  }
}
