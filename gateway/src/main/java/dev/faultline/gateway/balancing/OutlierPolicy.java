package dev.faultline.gateway.balancing;

import java.time.Duration;

/**
 * When an instance is taken out of rotation: after {@code consecutiveFailures} transport failures
 * in a row, for {@code baseEjection} doubled at each ejection since its last success, at most
 * {@code maxEjection} (Envoy's outlier detection, "consecutive gateway failure", in small).
 */
public record OutlierPolicy(int consecutiveFailures, Duration baseEjection, Duration maxEjection) {

  public OutlierPolicy {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutive failures must be at least 1");
    }
    if (baseEjection.isNegative()
        || baseEjection.isZero()
        || maxEjection.compareTo(baseEjection) < 0) {
      throw new IllegalArgumentException("ejection must be positive and at most its maximum");
    }
  }

  /** How long the {@code n}-th ejection in a row (from 1) lasts. */
  Duration ejection(int n) {
    int doublings = Math.min(Math.max(n - 1, 0), 20);
    Duration grown = baseEjection.multipliedBy(1L << doublings);
    return grown.compareTo(maxEjection) > 0 ? maxEjection : grown;
  }
}
