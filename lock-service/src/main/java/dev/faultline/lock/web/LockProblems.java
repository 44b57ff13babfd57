package dev.faultline.lock.web;

import dev.faultline.lock.lease.InvalidLockNameException;
import dev.faultline.lock.lease.LockNotHeldException;
import dev.faultline.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
}
