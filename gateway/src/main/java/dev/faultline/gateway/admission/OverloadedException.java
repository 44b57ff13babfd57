package dev.faultline.gateway.admission;

/**
 * Every instance of a service is at its concurrency limit (and the short queue is full, or the wait
 * in it ran out): the gateway answers {@code 503} with {@code Retry-After} at once. Not a failure
 * of the service: the circuit breakers ignore it, and nothing retries it (a retry would add load
 * where there is too much already).
 */
public final class OverloadedException extends RuntimeException {
  private final String service;
  private final RejectionCause cause;

  public OverloadedException(String service, RejectionCause cause) {
    super(
        "every instance of "
            + service
            + " is at its concurrency limit"
            + (cause == RejectionCause.QUEUE_TIMEOUT ? " and no slot came free in time" : ""),
        null,
        false,
        false); // thrown at every refusal under overload: no stack trace to fill
    this.service = service;
    this.cause = cause;
  }

  public String service() {
    return service;
  }

  public RejectionCause rejection() {
    return cause;
  }
}
