package dev.faultline.lock.client;

/**
 * Storage refused a write because a newer lease holder already wrote with a larger fencing token:
 * the caller's lease is over, whatever it believes. Stop the protected work.
 */
public final class StaleFencingTokenException extends RuntimeException {
  private final long token;
  private final long stored;

  public StaleFencingTokenException(String resource, long token, long stored) {
    super(
        "write to "
            + resource
            + " with fencing token "
            + token
            + " refused: token "
            + stored
            + " already wrote there");
    this.token = token;
    this.stored = stored;
  }

  public long token() {
    return token;
  }

  public long stored() {
    return stored;
  }
}
