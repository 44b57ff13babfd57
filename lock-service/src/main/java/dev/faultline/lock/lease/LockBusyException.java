package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** The lock is held by someone else and was not freed within the requested wait. */
public final class LockBusyException extends Rejection {
  public LockBusyException(LockName name, long waitMs) {
    super(
        409,
        "lock-held",
        "Lock held",
        "lock "
            + name.value()
            + " is held"
            + (waitMs > 0 ? " and was not freed within " + waitMs + " ms" : ""));
  }
}
