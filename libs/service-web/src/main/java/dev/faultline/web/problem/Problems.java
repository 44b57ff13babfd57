package dev.faultline.web.problem;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the suite's RFC 9457 problem details: a {@code type} per kind of problem ({@code
 * urn:faultline:problem:<slug>}, stable for clients to switch on), a human title and detail, and
 * the request's trace ID, so a user can hand an operator one string that finds every log line.
 */
public final class Problems {
  public static final String TYPE_PREFIX = "urn:faultline:problem:";

  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(TYPE_PREFIX + slug));
    problem.setTitle(title);
    return withTrace(problem);
  }

  /** The problem a {@link Rejection} describes. */
  public static ProblemDetail of(Rejection rejection) {
    return of(
        HttpStatusCode.valueOf(rejection.status()),
        rejection.slug(),
        rejection.title(),
        rejection.getMessage());
  }

  /** Adds the trace ID (and a type, when a framework-made problem lacks one). */
  public static ProblemDetail withTrace(ProblemDetail problem) {
    @Nullable String traceId = TraceIds.current();
    if (traceId != null
        && (problem.getProperties() == null || !problem.getProperties().containsKey("traceId"))) {
      problem.setProperty("traceId", traceId);
    }
    if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
      problem.setType(URI.create(TYPE_PREFIX + slugFor(problem.getStatus())));
    }
    return problem;
  }

  static String slugFor(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 409 -> "conflict";
      case 412 -> "precondition-failed";
      case 413 -> "content-too-large";
      case 415 -> "unsupported-media-type";
      case 422 -> "unprocessable-content";
      case 428 -> "precondition-required";
      case 429 -> "too-many-requests";
      case 503 -> "service-unavailable";
      case 504 -> "gateway-timeout";
      default -> status >= 500 ? "internal-error" : "http-" + status;
    };
  }
}
