package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** A customer already holds as many leases as {@link LockPolicy#customerMaxLeases()} allows. */
public final class LeaseLimitException extends Rejection {
  public LeaseLimitException(int max) {
    super(
        409,
        "lease-limit-reached",
        "Lease limit reached",
        "a customer holds at most " + max + " leases at once: release one first");
  }
}
