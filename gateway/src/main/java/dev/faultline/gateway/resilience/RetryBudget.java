package dev.faultline.gateway.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Retries may add at most {@code ratio} of a route's requests, counted over a sliding {@code
 * window}, plus {@code minPerSecond} so a quiet route can still retry (Finagle's RetryBudget,
 * Envoy's retry budgets). Without it every request of a failing route is sent three times, and the
 * retries triple the load on whatever is left standing; with it, a total outage costs at most
 * {@code 1 + ratio} times the requests.
 *
 * <p>The window is ten buckets; a bucket older than the window counts for nothing.
 */
public final class RetryBudget {
  private static final int BUCKETS = 10;

  private final double ratio;
  private final double minPerSecond;
  private final long windowNanos;
  private final long bucketNanos;
  private final LongSupplier nanoTime;
  private final long[] epochs = new long[BUCKETS];
  private final long[] requests = new long[BUCKETS];
  private final long[] retries = new long[BUCKETS];

  public RetryBudget(double ratio, double minPerSecond, Duration window, LongSupplier nanoTime) {
    if (ratio < 0 || minPerSecond < 0 || window.toMillis() < BUCKETS) {
      throw new IllegalArgumentException(
          "a ratio and minimum of at least 0 and a window of at least 10 ms");
    }
    this.ratio = ratio;
    this.minPerSecond = minPerSecond;
    this.windowNanos = window.toNanos();
    this.bucketNanos = windowNanos / BUCKETS;
    this.nanoTime = nanoTime;
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  /** A request arrived (its first attempt): it adds {@code ratio} of a retry to the budget. */
  public synchronized void requested() {
    requests[bucket()]++;
  }

  /** Takes a retry from the budget: false when the window's retries have used it up. */
  public synchronized boolean tryRetry() {
    int current = bucket();
    if (retriesInWindow() + 1 > allowance()) {
      return false;
    }
    retries[current]++;
    return true;
  }

  /** The share of the budget the window's retries use: 0 idle, 1 exhausted. */
  public synchronized double used() {
    bucket();
    double allowance = allowance();
    return allowance <= 0 ? 1 : Math.min(1, retriesInWindow() / allowance);
  }

  private double allowance() {
    long inWindow = 0;
    for (long r : requests) {
      inWindow += r;
    }
    return minPerSecond * windowNanos / 1e9 + ratio * inWindow;
  }

  private long retriesInWindow() {
    long sum = 0;
    for (long r : retries) {
      sum += r;
    }
    return sum;
  }

  /** The current bucket, after clearing the buckets that fell out of the window. */
  private int bucket() {
    long epoch = Math.floorDiv(nanoTime.getAsLong(), bucketNanos);
    for (int i = 0; i < BUCKETS; i++) {
      if (epochs[i] != Long.MIN_VALUE && epoch - epochs[i] >= BUCKETS) {
        epochs[i] = Long.MIN_VALUE;
        requests[i] = 0;
        retries[i] = 0;
      }
    }
    int index = (int) Math.floorMod(epoch, (long) BUCKETS);
    if (epochs[index] != epoch) {
      epochs[index] = epoch;
      requests[index] = 0;
      retries[index] = 0;
    }
    return index;
  }
}
