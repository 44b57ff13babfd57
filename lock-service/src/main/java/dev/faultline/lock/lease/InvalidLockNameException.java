package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;

/** The name cannot be a lock name (see {@link LockName}). */
public final class InvalidLockNameException extends Rejection {
  public InvalidLockNameException(String name) {
    super(
        400,
        "invalid-lock-name",
        "Invalid lock name",
        "'" + name + "' is not a lock name: use 1-128 of A-Z a-z 0-9 . _ : -");
  }
}
