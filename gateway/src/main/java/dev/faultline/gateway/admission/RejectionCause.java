package dev.faultline.gateway.admission;

/** Why the gateway refused work itself, as {@code gateway_rejections_total{cause}} names it. */
public enum RejectionCause {
  /** Every instance of the service was at its concurrency limit and the queue was full. */
  CONCURRENCY_LIMIT("concurrency-limit"),
  /** The request waited in the (short) queue for a slot and none came in time. */
  QUEUE_TIMEOUT("queue-timeout"),
  /** The caller had no token left in its bucket. */
  RATE_LIMIT("rate-limit"),
  /** A retry was due but the route had spent its retry budget: the first failure stood. */
  RETRY_BUDGET("retry-budget");

  private final String tag;

  RejectionCause(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
