package dev.faultline.web.problem;

/**
 * The refusals more than one service gives. One class and one problem type each, so a client that
 * switches on {@code type} sees the same one whichever service (or the saga, relaying the payment
 * service's answer) refused it.
 */
public final class Rejections {
  private Rejections() {}

  /** The caller is who it says, but this is not theirs to do or see. */
  public static final class Forbidden extends Rejection {
    public Forbidden(String detail) {
      super(403, "forbidden", "Forbidden", detail);
    }
  }

  /** An {@code If-Match} that is no list of entity tags (RFC 9110 §13.1.1). */
  public static final class InvalidIfMatch extends Rejection {
    public InvalidIfMatch(String value) {
      super(
          400,
          "invalid-if-match",
          "Invalid If-Match",
          "If-Match must be * or a list of quoted entity tags such as \"3\", not "
              + (value.length() > 80 ? value.substring(0, 80) + "..." : value));
    }
  }

  /** An {@code If-Match} that names a revision the resource has moved past. */
  public static final class StaleRevision extends Rejection {
    public StaleRevision(String resource, Object id, Object ifMatch, long revision) {
      super(
          412,
          "precondition-failed",
          "Precondition failed",
          resource + " " + id + " is at revision \"" + revision + "\", not " + ifMatch);
    }
  }

  /** A charge names an account that does not exist (an order's, or a payment's). */
  public static final class UnknownAccount extends Rejection {
    public UnknownAccount(String accountId) {
      super(422, "unknown-account", "Unknown account", "no account " + accountId + " to charge");
    }
  }

  /** A charge in another currency than its account's. */
  public static final class CurrencyMismatch extends Rejection {
    public CurrencyMismatch(String what, String accountCurrency, String currency) {
      super(
          422,
          "currency-mismatch",
          "Currency mismatch",
          "the account holds " + accountCurrency + ", the " + what + " is in " + currency);
    }
  }

  /**
   * The service cannot answer now and nothing changed: a 503 whose {@code Retry-After} says when to
   * ask again (a lock's holder failing over, a shard without a primary, ...).
   */
  public static class Unavailable extends Rejection {
    private final int retryAfterSeconds;

    public Unavailable(String slug, String title, String detail, int retryAfterSeconds) {
      super(503, slug, title, detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Integer retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
