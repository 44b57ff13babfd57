package dev.faultline.payment.account;

/** An account as clients see it; {@code revision} is its ETag. */
public record Account(
    String id, String ownerId, String currency, long balanceCents, long revision) {

  public String etag() {
    return "\"" + revision + "\"";
  }
}
