package dev.faultline.gateway.ratelimit;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; a request takes one.
 * Time is the caller's monotonic clock in nanoseconds, passed in, so the bucket is pure arithmetic.
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long updated;

  TokenBucket(double perSecond, int burst, long now) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException(
          "a rate above 0 and a burst of at least 1, got " + perSecond + "/s and " + burst);
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.updated = now;
  }

  /** Takes a token: 0 when granted, else the nanoseconds until one will be there. */
  synchronized long take(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Full again: nobody used it for a while, so forgetting it changes nothing. */
  synchronized boolean full(long now) {
    refill(now);
    return tokens >= burst;
  }

  private void refill(long now) {
    long elapsed = now - updated;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      updated = now;
    }
  }
}
