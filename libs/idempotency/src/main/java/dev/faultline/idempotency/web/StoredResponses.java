package dev.faultline.idempotency.web;

import dev.faultline.idempotency.StoredResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders answers the way Spring MVC would, once, so the very bytes sent are the ones stored and
 * replayed.
 */
public final class StoredResponses {
  private final JsonMapper json;

  public StoredResponses(JsonMapper json) {
    this.json = json;
  }

  /** A JSON answer with extra headers ({@code Location}, {@code ETag}). */
  public StoredResponse json(int status, Object body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
    return new StoredResponse(status, all, json.writeValueAsString(body));
  }

  /**
   * A resource as a keyed write answers with it: its JSON, where it lives ({@code Location}) and,
   * when it has one, its revision ({@code ETag}) for a later conditional write.
   */
  public StoredResponse resource(
      int status, Object body, @Nullable String location, @Nullable String etag) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (location != null) {
      headers.put(HttpHeaders.LOCATION, location);
    }
    if (etag != null) {
      headers.put(HttpHeaders.ETAG, etag);
    }
    return json(status, body, headers);
  }

  public StoredResponse problem(ProblemDetail problem) {
    return new StoredResponse(
        problem.getStatus(),
        Map.of(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE),
        json.writeValueAsString(problem));
  }
}
