package dev.faultline.lock.lease;

/**
 * ZooKeeper cannot confirm anything right now (no quorum, or this instance's session is suspended):
 * the service answers 503 rather than guess. Consistency before availability.
 */
public final class LockServiceUnavailableException extends RuntimeException {
  public LockServiceUnavailableException(String why) {
    super("the lock service cannot reach a ZooKeeper quorum: " + why);
  }
}
