package dev.faultline.order.saga;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniformly random time in [0, min(cap, base * 2^n)), so retries of many
 * sagas after one outage spread out instead of arriving together.
 */
public record Backoff(Duration base, Duration cap) {

  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap");
    }
  }

  /**
   * The wait before retry {@code attempt} (1 for the first); {@code random} maps a bound to a value
   * in [0, bound) (tests pass a fixed one).
   */
  public Duration delay(int attempt, LongUnaryOperator random) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(Math.max(1, random.applyAsLong(Math.max(1, ceiling))));
  }

  /** The largest wait retry {@code attempt} may get. */
  public Duration ceiling(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long millis = base.toMillis() << doublings;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }
}
