package dev.faultline.idempotency.web;

import dev.faultline.idempotency.IdempotencyConflictException;
import dev.faultline.idempotency.IdempotencyKeyException;
import dev.faultline.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The draft's answers: 400 for a missing or bad key, 409 while in use, 422 for another request. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class IdempotencyProblems {

  @ExceptionHandler(IdempotencyKeyException.class)
  ProblemDetail badKey(IdempotencyKeyException e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        e instanceof IdempotencyKeyException.Missing
            ? "idempotency-key-missing"
            : "idempotency-key-invalid",
        e instanceof IdempotencyKeyException.Missing
            ? "Idempotency-Key required"
            : "Invalid Idempotency-Key",
        e.getMessage());
  }

  @ExceptionHandler(IdempotencyConflictException.class)
  ResponseEntity<ProblemDetail> conflict(IdempotencyConflictException e) {
    return switch (e) {
      case IdempotencyConflictException.InProgress inProgress ->
          ResponseEntity.status(HttpStatus.CONFLICT)
              .header(HttpHeaders.RETRY_AFTER, "1")
              .contentType(MediaType.APPLICATION_PROBLEM_JSON)
              .body(
                  Problems.of(
                      HttpStatus.CONFLICT,
                      "idempotency-key-in-use",
                      "Request in progress",
                      inProgress.getMessage()));
      case IdempotencyConflictException.Mismatch mismatch ->
          ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
              .contentType(MediaType.APPLICATION_PROBLEM_JSON)
              .body(
                  Problems.of(
                      HttpStatus.UNPROCESSABLE_CONTENT,
                      "idempotency-key-reused",
                      "Idempotency-Key reused",
                      mismatch.getMessage()));
    };
  }
}
