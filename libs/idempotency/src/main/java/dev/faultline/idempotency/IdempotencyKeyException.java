package dev.faultline.idempotency;

/** The request's {@code Idempotency-Key} header is missing or malformed: a 400, nothing done. */
public abstract sealed class IdempotencyKeyException extends RuntimeException
    permits IdempotencyKeyException.Missing, IdempotencyKeyException.Invalid {

  IdempotencyKeyException(String message) {
    super(message);
  }

  /** No header: the operation must carry a key so that a retry can never apply it twice. */
  public static final class Missing extends IdempotencyKeyException {
    public Missing() {
      super(
          "this operation requires an Idempotency-Key header (a unique value per operation, reused"
              + " on every retry of it)");
    }
  }

  /** A header that is not a valid key. */
  public static final class Invalid extends IdempotencyKeyException {
    public Invalid(String why) {
      super("the Idempotency-Key header is invalid: " + why);
    }
  }
}
