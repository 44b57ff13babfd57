package dev.faultline.lock.lease;

/** The lease expired, was released, or was never this caller's: the holder must stop. */
public final class LeaseGoneException extends RuntimeException {
  public LeaseGoneException(LockName name, String leaseId) {
    super("lease " + leaseId + " on lock " + name.value() + " is gone");
  }
}
