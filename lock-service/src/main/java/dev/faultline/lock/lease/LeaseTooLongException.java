package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;
import java.time.Duration;

/** A customer asked for a lease longer than {@link LockPolicy#customerMaxTtl()}. */
public final class LeaseTooLongException extends Rejection {
  public LeaseTooLongException(Duration max) {
    super(
        400,
        "lease-too-long",
        "Lease too long",
        "a customer's lease lasts at most " + max.toMillis() + " ms (ttlMs)");
  }
}
