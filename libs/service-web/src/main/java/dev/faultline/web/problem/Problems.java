package dev.faultline.web.problem;

import dev.faultline.problem.ProblemTypes;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the suite's RFC 9457 problem details: a {@code type} per kind of problem ({@code
 * urn:faultline:problem:<slug>}, stable for clients to switch on), a human title and detail, and
 * the request's trace ID, so a user can hand an operator one string that finds every log line.
 */
public final class Problems {
  private Problems() {}

  public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(ProblemTypes.of(slug));
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
      problem.setType(ProblemTypes.of(slugFor(problem.getStatus())));
    }
    return problem;
  }

  static String slugFor(int status) {
    return ProblemTypes.slugFor(status);
  }
}
