package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** Nobody holds the lock. */
public final class LockNotHeldException extends Rejection {
  public LockNotHeldException(LockName name) {
    super(404, "lock-not-held", "Lock not held", "lock " + name.value() + " is not held");
  }
}
