package dev.faultline.idempotency;

import dev.faultline.web.problem.Rejection;

/** The request's {@code Idempotency-Key} header is missing or malformed: a 400, nothing done. */
public abstract sealed class IdempotencyKeyException extends Rejection
    permits IdempotencyKeyException.Missing, IdempotencyKeyException.Invalid {

  IdempotencyKeyException(String slug, String title, String message) {
    super(400, slug, title, message);
  }

  /** No header: the operation must carry a key so that a retry can never apply it twice. */
  public static final class Missing extends IdempotencyKeyException {
    public Missing() {
      super(
          "idempotency-key-missing",
          "Idempotency-Key required",
          "this operation requires an Idempotency-Key header (a unique value per operation, reused"
              + " on every retry of it)");
    }
  }

  /** A header that is not a valid key. */
  public static final class Invalid extends IdempotencyKeyException {
    public Invalid(String why) {
      super(
          "idempotency-key-invalid",
          "Invalid Idempotency-Key",
          "the Idempotency-Key header is invalid: " + why);
    }
  }
}
