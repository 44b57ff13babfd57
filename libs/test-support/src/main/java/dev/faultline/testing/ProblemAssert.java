package dev.faultline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** The tests' one check that an answer is the suite's kind of RFC 9457 problem. */
public final class ProblemAssert {
  public static final String TYPE_PREFIX = "urn:faultline:problem:";

  private ProblemAssert() {}

  /**
   * A problem of kind {@code slug}: served as {@code application/problem+json}, its status equal to
   * the response's, with a title, a detail and the request's trace ID.
   */
  public static JsonNode assertProblem(HttpResponse<String> response, String slug) {
    JsonNode problem = problem(response);
    assertThat(problem.path("type").asString()).isEqualTo(TYPE_PREFIX + slug);
    assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
    assertThat(problem.has("title") && problem.has("detail")).as("title and detail").isTrue();
    assertThat(problem.path("traceId").asString()).matches("[0-9a-f]{32}");
    return problem;
  }

  /** An answer of {@code status} that is a problem of kind {@code slug}. */
  public static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return assertProblem(response, slug);
  }

  /** The same check on an answer read off a raw socket. */
  public static JsonNode assertProblem(RawHttp.Answer answer, int status, String slug) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
    JsonNode problem = Json.read(answer.body());
    assertThat(problem.path("type").asString()).isEqualTo(TYPE_PREFIX + slug);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.has("title") && problem.has("detail")).as("title and detail").isTrue();
    assertThat(problem.path("traceId").asString()).matches("[0-9a-f]{32}");
    return problem;
  }

  /** The problem's {@code type}, after checking that the answer is a problem at all. */
  public static String type(HttpResponse<String> response) {
    return problem(response).path("type").asString();
  }

  private static JsonNode problem(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    return Json.read(response.body());
  }
}
