package dev.faultline.idempotency;

/** A key that cannot be used for this request now: in use (409) or used for another (422). */
public abstract sealed class IdempotencyConflictException extends RuntimeException
    permits IdempotencyConflictException.InProgress, IdempotencyConflictException.Mismatch {

  IdempotencyConflictException(String message) {
    super(message);
  }

  /** A request with this key is still running; retry it later for its outcome. */
  public static final class InProgress extends IdempotencyConflictException {
    public InProgress() {
      super(
          "a request with this Idempotency-Key is still being processed; retry after the"
              + " indicated delay to get its outcome");
    }
  }

  /** The key was used with a different request (another body or another operation). */
  public static final class Mismatch extends IdempotencyConflictException {
    public Mismatch() {
      super(
          "this Idempotency-Key was already used with a different request; use a new key for a"
              + " new operation");
    }
  }
}
