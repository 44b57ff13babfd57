package dev.faultline.lock.lease;

/** The name cannot be a lock name (see {@link LockName}). */
public final class InvalidLockNameException extends RuntimeException {
  public InvalidLockNameException(String name) {
    super("'" + name + "' is not a lock name: use 1-128 of A-Z a-z 0-9 . _ : -");
  }
}
