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

  /** What {@link #probe} saw: how many answers were not the one expected, and the last such. */
  record Probe(int requests, int failures, int lastFailure) {}

  /**
   * {@code requests} GETs of {@code path}, {@code interval} apart (a client's view of a fault): how
   * many did not answer {@code expected}, and the index of the last that did not (-1: none).
   */
  Probe probe(String path, String token, int expected, int requests, Duration interval)
      throws Exception {
    int failures = 0;
    int lastFailure = -1;
    for (int i = 0; i < requests; i++) {
      if (get(path, token).statusCode() != expected) {
        failures++;
        lastFailure = i;
      }
      Thread.sleep(interval.toMillis());
    }
    return new Probe(requests, failures, lastFailure);
  }

  /**
   * GET {@code path} again until it answers {@code status}, or {@code timeout}: the last answer.
   */
  HttpResponse<String> awaitStatus(String path, String token, int status, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> response = get(path, token);
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = get(path, token);
    }
    return response;
  }

  /** {@code prefix} plus the first number that the router places on {@code shard}. */
  String keyOnShard(String prefix, int shard, String token) throws Exception {
    for (int i = 0; ; i++) {
      JsonNode route = JSON.readTree(get("/api/shards/route?key=" + prefix + i, token).body());
      if (route.get("shard").asInt() == shard) {
        return prefix + i;
      }
    }
  }

  /** The shard as the router publishes it, once {@code SYNC} or when {@code timeout} is up. */
  JsonNode awaitShardSync(int shard, String token, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode current = JSON.readTree(get("/api/shards", token).body()).get("shards").get(shard);
    while (!current.get("state").asString().equals("SYNC") && System.nanoTime() < deadline) {
      Thread.sleep(500);
      current = JSON.readTree(get("/api/shards", token).body()).get("shards").get(shard);
    }
    return current;
  }

  /**
   * The topology ({@code GET /api/shards}) once {@code done} holds of it, or as it is when {@code
   * timeout} has passed (an unreadable answer, during a failover, counts as not done).
   */
  JsonNode awaitShards(java.util.function.Predicate<JsonNode> done, String token, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      HttpResponse<String> response = get("/api/shards", token);
      if (response.statusCode() == 200) {
        JsonNode shards = JSON.readTree(response.body());
        if (done.test(shards) || System.nanoTime() > deadline) {
          return shards;
        }
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError("/api/shards answered " + response.statusCode());
      }
      Thread.sleep(200);
    }
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
}
