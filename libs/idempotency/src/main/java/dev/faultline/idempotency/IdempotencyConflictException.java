package dev.faultline.idempotency;

import dev.faultline.web.problem.Rejection;

/** A key that cannot be used for this request now: in use (409) or used for another (422). */
public abstract sealed class IdempotencyConflictException extends Rejection
    permits IdempotencyConflictException.InProgress, IdempotencyConflictException.Mismatch {

  IdempotencyConflictException(int status, String slug, String title, String message) {
    super(status, slug, title, message);
  }

  /** A request with this key is still running; retry it later for its outcome. */
  public static final class InProgress extends IdempotencyConflictException {
    public InProgress() {
      super(
          409,
          "idempotency-key-in-use",
          "Request in progress",
          "a request with this Idempotency-Key is still being processed; retry after the"
              + " indicated delay to get its outcome");
    }

    /** The first request is still running: come back shortly for its outcome. */
    @Override
    public Integer retryAfterSeconds() {
      return 1;
    }
  }

  /** The key was used with a different request (another body or another operation). */
  public static final class Mismatch extends IdempotencyConflictException {
    public Mismatch() {
      super(
          422,
          "idempotency-key-reused",
          "Idempotency-Key reused",
          "this Idempotency-Key was already used with a different request; use a new key for a"
              + " new operation");
    }
  }
}
