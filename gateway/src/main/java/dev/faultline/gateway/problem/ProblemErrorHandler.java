package dev.faultline.gateway.problem;

import dev.faultline.gateway.admission.OverloadedException;
import dev.faultline.problem.ProblemTypes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every error the gateway itself answers is a problem: an unknown path, a route with no live
 * instance, an open circuit, an upstream that timed out or refused. A dead or open route is a
 * {@code 503} with {@code Retry-After} (fail fast and say when to come back), never a hang.
 */
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
public final class ProblemErrorHandler implements ErrorWebExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);
  static final String RETRY_AFTER_SECONDS = "2";

  /** An overloaded service: come back soon, a slot frees within a request's time. */
  static final String OVERLOADED_RETRY_AFTER_SECONDS = "1";

  private final GatewayProblems problems;

  public ProblemErrorHandler(GatewayProblems problems) {
    this.problems = problems;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    Failure failure = classify(error);
    if (failure.status() == HttpStatus.SERVICE_UNAVAILABLE) {
      exchange
          .getResponse()
          .getHeaders()
          .set(
              "Retry-After",
              failure.slug().equals("overloaded")
                  ? OVERLOADED_RETRY_AFTER_SECONDS
                  : RETRY_AFTER_SECONDS);
    }
    if (failure.status().is5xxServerError() && !failure.slug().equals("overloaded")) {
      log.warn(
          "{} {} failed: {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          error.toString());
    }
    return problems.write(
        exchange, failure.status(), failure.slug(), failure.title(), failure.detail());
  }

  record Failure(HttpStatus status, String slug, String title, String detail) {}

  static Failure classify(Throwable error) {
    Throwable root = rootCause(error);
    if (error instanceof OverloadedException overloaded) {
      // Spillover: refused at once, not logged per request (a flood of them is the point).
      return new Failure(
          HttpStatus.SERVICE_UNAVAILABLE,
          "overloaded",
          "Service overloaded",
          "Every instance of "
              + overloaded.service()
              + " is at its concurrency limit; the request was not sent. Retry after the"
              + " Retry-After seconds.");
    }
    if (error instanceof CallNotPermittedException
        || root instanceof CallNotPermittedException
        || error instanceof ServiceUnavailableException) {
      return unavailable("The service is failing; its circuit is open. Retry later.");
    }
    if (error instanceof ResponseStatusException rse) {
      HttpStatus status = HttpStatus.resolve(rse.getStatusCode().value());
      if (status == null) {
        status = HttpStatus.BAD_GATEWAY;
      }
      return switch (status) {
        case SERVICE_UNAVAILABLE ->
            unavailable("No instance of the service is available right now. Retry later.");
        case GATEWAY_TIMEOUT ->
            new Failure(
                status,
                "gateway-timeout",
                "Gateway timeout",
                "The service did not answer in time.");
        case NOT_FOUND -> new Failure(status, "not-found", "Not found", "No such resource.");
        default ->
            new Failure(
                status,
                ProblemTypes.slugFor(status.value()),
                status.getReasonPhrase(),
                rse.getReason() != null ? rse.getReason() : status.getReasonPhrase());
      };
    }
    if (root instanceof TimeoutException) {
      return new Failure(
          HttpStatus.GATEWAY_TIMEOUT,
          "gateway-timeout",
          "Gateway timeout",
          "The service did not answer in time.");
    }
    if (root instanceof ConnectException) {
      return unavailable("No instance of the service accepted the connection. Retry later.");
    }
    return new Failure(
        HttpStatus.BAD_GATEWAY,
        "bad-gateway",
        "Bad gateway",
        "The service failed to answer; quote the traceId when reporting it.");
  }

  private static Failure unavailable(String detail) {
    return new Failure(
        HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable", detail);
  }

  private static Throwable rootCause(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
