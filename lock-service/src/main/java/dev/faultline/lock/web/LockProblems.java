package dev.faultline.lock.web;

import dev.faultline.lock.lease.InvalidLockNameException;
import dev.faultline.lock.lease.LeaseGoneException;
import dev.faultline.lock.lease.LockBusyException;
import dev.faultline.lock.lease.LockNotHeldException;
import dev.faultline.lock.lease.LockServiceUnavailableException;
import dev.faultline.web.problem.Problems;
import org.apache.zookeeper.KeeperException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The lock service's domain failures as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class LockProblems {

  @ExceptionHandler(LockNotHeldException.class)
  ProblemDetail notHeld(LockNotHeldException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "lock-not-held", "Lock not held", e.getMessage());
  }

  @ExceptionHandler(InvalidLockNameException.class)
  ProblemDetail invalidName(InvalidLockNameException e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST, "invalid-lock-name", "Invalid lock name", e.getMessage());
  }

  @ExceptionHandler(LockBusyException.class)
  ProblemDetail busy(LockBusyException e) {
    return Problems.of(HttpStatus.CONFLICT, "lock-held", "Lock held", e.getMessage());
  }

  @ExceptionHandler(LeaseGoneException.class)
  ProblemDetail gone(LeaseGoneException e) {
    return Problems.of(HttpStatus.GONE, "lease-gone", "Lease gone", e.getMessage());
  }

  /**
   * No quorum, a suspended session, or a ZooKeeper operation whose outcome is unknown: 503. Retry
   * the same acquire (same holder): if it was granted after all, the retry returns that lease; if
   * not, it is granted or refused afresh. Nothing is ever granted twice.
   */
  @ExceptionHandler({
    LockServiceUnavailableException.class,
    KeeperException.ConnectionLossException.class,
    KeeperException.SessionExpiredException.class,
    KeeperException.OperationTimeoutException.class
  })
  ResponseEntity<ProblemDetail> unavailable(Exception e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "lock-service-unavailable",
                "Lock service unavailable",
                "ZooKeeper cannot confirm the lock's state right now; retry the same request."));
  }
}
