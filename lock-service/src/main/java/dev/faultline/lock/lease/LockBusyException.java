package dev.faultline.lock.lease;

/** The lock is held by someone else and was not freed within the requested wait. */
public final class LockBusyException extends RuntimeException {
  public LockBusyException(LockName name, long waitMs) {
    super(
        "lock "
            + name.value()
            + " is held"
            + (waitMs > 0 ? " and was not freed within " + waitMs + " ms" : ""));
  }
}
