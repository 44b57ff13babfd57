package dev.faultline.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per caller. The map is bounded: past {@code maxCallers} the buckets that are
 * full again (callers idle long enough to have refilled) are dropped, which forgets nothing a
 * bucket would remember.
 */
final class RateLimits {
  private final RateLimitProperties settings;
  private final LongSupplier nanoTime;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  RateLimits(RateLimitProperties settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
  }

  /** Takes a token for {@code caller}: 0 when granted, else the nanoseconds to wait. */
  long take(String caller) {
    long now = nanoTime.getAsLong();
    if (buckets.size() >= settings.maxCallers()) {
      buckets.values().removeIf(b -> b.full(now));
    }
    return buckets
        .computeIfAbsent(
            caller, c -> new TokenBucket(settings.requestsPerSecond(), settings.burst(), now))
        .take(now);
  }

  int callers() {
    return buckets.size();
  }
}
