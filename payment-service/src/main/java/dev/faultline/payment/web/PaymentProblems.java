package dev.faultline.payment.web;

import dev.faultline.payment.account.AccountNotFoundException;
import dev.faultline.payment.account.NotYourAccountException;
import dev.faultline.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The payment service's domain failures as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PaymentProblems {

  @ExceptionHandler(AccountNotFoundException.class)
  ProblemDetail notFound(AccountNotFoundException e) {
    return Problems.of(
        HttpStatus.NOT_FOUND, "account-not-found", "Account not found", e.getMessage());
  }

  @ExceptionHandler(NotYourAccountException.class)
  ProblemDetail notYours(NotYourAccountException e) {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
  }
}
