package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejections;

/**
 * ZooKeeper cannot confirm anything right now (no quorum, this instance's session is suspended, or
 * an operation's outcome is unknown): the service answers 503 rather than guess. Consistency before
 * availability. Retry the same acquire (same holder): if it was granted after all, the retry
 * returns that lease; if not, it is granted or refused afresh. Nothing is granted twice.
 */
public final class LockServiceUnavailableException extends Rejections.Unavailable {
  public LockServiceUnavailableException(String why) {
    super(
        "lock-service-unavailable",
        "Lock service unavailable",
        "ZooKeeper cannot confirm the lock's state right now ("
            + why
            + "); retry the same request.",
        1);
  }
}
