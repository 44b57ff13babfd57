package dev.faultline.lock.lease;

/** Nobody holds the lock. */
public final class LockNotHeldException extends RuntimeException {
  public LockNotHeldException(LockName name) {
    super("lock " + name.value() + " is not held");
  }
}
