package dev.faultline.order.web;

import dev.faultline.order.order.NotYourOrderException;
import dev.faultline.order.order.OrderNotFoundException;
import dev.faultline.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The order service's domain failures as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems {

  @ExceptionHandler(OrderNotFoundException.class)
  ProblemDetail notFound(OrderNotFoundException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "order-not-found", "Order not found", e.getMessage());
  }

  @ExceptionHandler(NotYourOrderException.class)
  ProblemDetail notYours(NotYourOrderException e) {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
  }
}
