package dev.faultline.web.problem;

import jakarta.validation.ConstraintViolationException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The framework's errors as problem details, with the trace ID: malformed JSON, a wrong method or
 * media type, an unknown path, a failed validation. Runs last, so each service's own advice maps
 * its domain failures first. Anything unexpected is a 500 whose detail says nothing internal.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem) {
      Problems.withTrace(problem);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  /** A body that is not JSON, or not the JSON this endpoint takes: say which field and why. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return createResponseEntity(
        Problems.of(HttpStatus.BAD_REQUEST, "bad-request", "Malformed request", unreadable(e)),
        headers,
        HttpStatus.BAD_REQUEST,
        request);
  }

  /** A body that binds but breaks a constraint: every field that does, and what it must be. */
  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String detail =
        e.getBindingResult().getFieldErrors().stream()
            .map(error -> error.getField() + " " + error.getDefaultMessage())
            .sorted()
            .collect(Collectors.joining("; "));
    return createResponseEntity(
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "bad-request",
            "Invalid request",
            detail.isEmpty() ? "the request body is invalid" : detail),
        headers,
        HttpStatus.BAD_REQUEST,
        request);
  }

  /**
   * What was wrong with an unreadable body, in the API's terms (a field's path, never a Java type
   * or a parser's position in our code).
   */
  static String unreadable(Throwable error) {
    JacksonException jackson = null;
    for (Throwable t = error; t != null && jackson == null; t = t.getCause()) {
      if (t instanceof JacksonException found) {
        jackson = found;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (jackson == null) {
      return "the request body is missing or is not JSON";
    }
    String path = path(jackson);
    return switch (jackson) {
      case UnrecognizedPropertyException unknown -> "unknown field '" + path + "'";
      case MismatchedInputException mismatched when !path.isEmpty() ->
          "'"
              + path
              + "' is not of the type this API takes (integers are integers, strings strings)";
      case StreamReadException syntax ->
          "the body is not valid JSON: "
              + syntax.getOriginalMessage().lines().findFirst().orElse("");
      default -> "the request body cannot be read as this API's JSON";
    };
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The domain's refusals, each with its own status and problem type. */
  @ExceptionHandler(Rejection.class)
  ResponseEntity<ProblemDetail> rejection(Rejection e) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(e.status())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
    if (e.retryAfterSeconds() != null) {
      response.header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
    }
    return response.body(Problems.of(e));
  }

  /**
   * A value that does not convert; when the converter said why with a refusal of its own (a
   * malformed {@code If-Match}), that refusal is the answer.
   */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof Rejection refusal) {
        return rejection(refusal);
      }
    }
    return ResponseEntity.badRequest()
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(typeMismatchProblem(e));
  }

  private static ProblemDetail typeMismatchProblem(MethodArgumentTypeMismatchException e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        "Malformed request",
        "'" + e.getName() + "' has an invalid value");
  }

  /**
   * A multipart content type: the servlet parses such a body before any handler is chosen, and
   * fails on one that is not multipart. Every API here takes JSON, so it is the media type that is
   * wrong, whatever the body holds.
   */
  @ExceptionHandler(MultipartException.class)
  ProblemDetail multipart(MultipartException e) {
    return Problems.of(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported media type",
        "the API takes application/json bodies, not multipart");
  }

  /**
   * Spring Security's firewall refusing what a handler asked for: a header value with characters
   * HTTP does not allow (raw non-ASCII bytes, controls). It is read lazily, so the refusal comes
   * out of argument binding rather than the filter chain; the request is the client's to fix.
   */
  @ExceptionHandler(RequestRejectedException.class)
  ProblemDetail requestRejected(RequestRejectedException e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        "Malformed request",
        "a header or the path holds characters that are not allowed");
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraintViolation(ConstraintViolationException e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "Invalid request",
        e.getConstraintViolations().stream()
            .map(v -> v.getPropertyPath() + " " + v.getMessage())
            .sorted()
            .collect(Collectors.joining("; ")));
  }

  /**
   * Storage that is down, failing over or refusing a stale writer: the request may succeed if
   * repeated shortly, and nothing was written (or the outcome is unknown and the client retries
   * with the same idempotency key), so 503 with Retry-After rather than 500.
   */
  @ExceptionHandler({TransientDataAccessException.class, DataAccessResourceFailureException.class})
  ResponseEntity<ProblemDetail> storageUnavailable(DataAccessException e) {
    log.warn("storage unavailable: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "storage-unavailable",
                "Storage unavailable",
                "The data for this request is briefly unavailable (for example during a shard"
                    + " failover); retry after the indicated delay."));
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unhandled error", e);
    return Problems.of(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal error",
        "The server failed to handle the request; quote the traceId when reporting it.");
  }
}
