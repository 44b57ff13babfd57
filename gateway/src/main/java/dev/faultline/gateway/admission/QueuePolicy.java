package dev.faultline.gateway.admission;

import java.time.Duration;

/**
 * How many requests may wait for a slot when every instance of a service is full ({@code
 * maxQueued}, per service) and for how long ({@code maxWait}). Spillover keeps both small: a wait
 * shorter than a request's own service time smooths a burst, anything longer only makes every
 * request later. A surge queue (thousands, for seconds) is available only to show what it does.
 */
public record QueuePolicy(int maxQueued, Duration maxWait) {
  /** What {@code faultline.gateway.admission.unsafe-surge-queue} sets: a load balancer's queue. */
  public static final QueuePolicy SURGE = new QueuePolicy(10_000, Duration.ofSeconds(30));

  public QueuePolicy {
    if (maxQueued < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("a queue of at least 0 requests, waiting at least 0 s");
    }
  }
}
