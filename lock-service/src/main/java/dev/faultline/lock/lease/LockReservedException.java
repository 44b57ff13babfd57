package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** A lock name the services keep for themselves (see {@link LockPolicy}). */
public final class LockReservedException extends Rejection {
  public LockReservedException(LockName name) {
    super(
        403,
        "lock-reserved",
        "Lock reserved",
        "'" + name.value() + "' is a lock the suite's services use internally");
  }
}
