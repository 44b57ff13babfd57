package dev.faultline.gateway.admission;

/**
 * How many requests one instance may have in flight from this gateway at once. Past it the gateway
 * sends the request elsewhere or spills it (a fast 503), so the instance works at the rate it can
 * and no queue builds in front of it where nobody sees.
 */
public sealed interface ConcurrencyLimit permits FixedLimit, VegasLimit {
  /** The limit now. */
  int current();

  /**
   * A request that held a slot ended after {@code rttNanos}, with {@code inFlight} requests in
   * flight to the instance when it started; {@code dropped} when it failed in a way that says the
   * instance is overloaded (timed out, refused, reset, or answered 503/504).
   */
  void onSample(long rttNanos, int inFlight, boolean dropped);
}
