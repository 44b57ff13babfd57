package dev.faultline.shard;

import java.time.Duration;

/** What a read needs: the latest committed data (primary), or data at most so old (a replica). */
public sealed interface Freshness {
  Freshness LATEST = new Latest();

  static Freshness boundedStaleness(Duration maxLag) {
    return new BoundedStaleness(maxLag);
  }

  record Latest() implements Freshness {}

  record BoundedStaleness(Duration maxLag) implements Freshness {}
}
