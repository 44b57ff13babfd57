package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** The lease expired, was released, or was never this caller's: the holder must stop. */
public final class LeaseGoneException extends Rejection {
  public LeaseGoneException(LockName name, String leaseId) {
    super(
        410,
        "lease-gone",
        "Lease gone",
        "lease " + leaseId + " on lock " + name.value() + " is gone");
  }
}
