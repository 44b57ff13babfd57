package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests through a suite's gateway as a client makes them, and the checks every end-to-end test
 * makes of the answers, whichever way the suite runs (processes, containers).
 */
final class GatewayCalls {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;

  GatewayCalls(String base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, @Nullable String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token, String body, @Nullable String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens an account for {@code owner} with {@code cents}; its ID. */
  String openAccount(String owner, String token, long cents) throws Exception {
    HttpResponse<String> response =
        post(
            "/api/accounts",
            token,
            "{\"ownerId\":\""
                + owner
                + "\",\"currency\":\"EUR\",\"initialBalanceCents\":"
                + cents
                + "}",
            "open-" + UUID.randomUUID());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asString();
  }

  static String orderBody(String customer, String account, long cents) {
    return "{\"customerId\":\""
        + customer
        + "\",\"accountId\":\""
        + account
        + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"e2e\",\"quantity\":1,\"unitPriceCents\":"
        + cents
        + "}]}";
  }

  /** An RFC 9457 problem of the suite's kind {@code slug}, with its trace ID. */
  static void assertProblem(HttpResponse<String> response, String slug) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo("urn:faultline:problem:" + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
    assertThat(problem.has("title") && problem.has("detail") && problem.has("traceId")).isTrue();
  }
}
