package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole suite, as a user runs it: {@code bin/suite up} starts 15 real processes, requests go
 * through the gateway, a pod kill is survived, {@code bin/suite down} leaves nothing behind. Ports
 * are shifted by SUITE_PORT_OFFSET (see the pom) so a developer's running suite is left alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteEndToEndIT {
  private static final int OFFSET = Integer.parseInt(System.getenv("SUITE_PORT_OFFSET"));
  private static final String GATEWAY = "http://127.0.0.1:" + (8080 + OFFSET);
  private static final String MISSING_ORDER = "/api/orders/00000000-0000-4000-8000-000000000001";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static SuiteCli suite;
  private static String customerToken;
  private static String adminToken;
  private static List<Long> pidsWhileUp = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    suite = new SuiteCli(Path.of(System.getProperty("suite.repo")));
    suite.run(Duration.ofMinutes(2), "down", "--purge"); // leftovers of an aborted run
    String output = suite.ok(Duration.ofMinutes(8), "up");
    System.out.println(output);
    assertThat(output).contains("all 15 processes healthy");
    customerToken = suite.ok(Duration.ofMinutes(1), "token", "--customer", "alice").trim();
    adminToken = suite.ok(Duration.ofMinutes(1), "token", "--admin").trim();
  }

  @AfterAll
  static void purge() throws Exception {
    if (suite != null) {
      suite.run(Duration.ofMinutes(2), "down", "--purge");
    }
  }

  @Test
  @Order(1)
  void everyProcessReportsHealthy() throws Exception {
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    assertThat(rows).hasSize(15);
    List<String> unhealthy = new ArrayList<>();
    for (JsonNode row : rows) {
      assertThat(row.has("name") && row.has("pid") && row.has("port") && row.has("role")).isTrue();
      if (!row.get("healthy").asBoolean()) {
        unhealthy.add(row.get("name").asString());
      }
      pidsWhileUp.add(row.get("pid").asLong());
    }
    assertThat(unhealthy).isEmpty();
    assertThat(roles(rows)).contains("leader", "follower", "primary", "replica", "gateway");
  }

  @Test
  @Order(2)
  void withoutATokenEveryRouteAnswers401Problem() throws Exception {
    for (String path :
        List.of(
            MISSING_ORDER,
            "/api/accounts/acc-1",
            "/api/payments/p-1",
            "/api/locks/demo",
            "/api/shards")) {
      HttpResponse<String> response = get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertProblem(response, "unauthorized");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    assertThat(get("/api/shards", "not.a.token").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void aValidTokenReachesEachService() throws Exception {
    // 404s whose problem type only the service itself produces: the request got there.
    HttpResponse<String> order = get(MISSING_ORDER, customerToken);
    assertThat(order.statusCode()).isEqualTo(404);
    assertProblem(order, "order-not-found");
    assertThat(JSON.readTree(order.body()).get("traceId").asString())
        .isEqualTo(order.headers().firstValue("X-Trace-Id").orElseThrow());

    HttpResponse<String> account = get("/api/accounts/acc-1", customerToken);
    assertThat(account.statusCode()).isEqualTo(404);
    assertProblem(account, "account-not-found");

    HttpResponse<String> lock = get("/api/locks/demo", customerToken);
    assertThat(lock.statusCode()).isEqualTo(404);
    assertProblem(lock, "lock-not-held");

    HttpResponse<String> shards = get("/api/shards", customerToken);
    assertThat(shards.statusCode()).isEqualTo(200);
    JsonNode topology = JSON.readTree(shards.body());
    assertThat(topology.get("epoch").asLong()).isPositive();
    assertThat(topology.get("shards")).hasSize(2);

    HttpResponse<String> badId = get("/api/orders/not-an-id", customerToken);
    assertThat(badId.statusCode()).isEqualTo(400);
    assertProblem(badId, "bad-request");
  }

  @Test
  @Order(4)
  void shardAdministrationNeedsTheAdminRole() throws Exception {
    HttpResponse<String> customer = post("/api/shards/0/failover", customerToken);
    assertThat(customer.statusCode()).isEqualTo(403);
    assertProblem(customer, "forbidden");
    // The admin gets past the gateway (what the router then answers is the sharding issue's).
    assertThat(post("/api/shards/0/failover", adminToken).statusCode()).isNotIn(401, 403);
  }

  @Test
  @Order(5)
  void killingAnOrderServiceInstanceIsInvisibleToClientsWithinSeconds() throws Exception {
    assertThat(suite.ok(Duration.ofMinutes(1), "kill", "order-service-1")).contains("SIGKILL");
    int failures = 0;
    int lastFailure = -1;
    int requests = 100; // 100 requests, 100 ms apart: about ten seconds after the kill
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = get(MISSING_ORDER, customerToken);
      if (response.statusCode() != 404) {
        failures++;
        lastFailure = i;
      }
      Thread.sleep(100);
    }
    System.out.printf(
        "after kill order-service-1: %d of %d requests failed, last failure at request %d%n",
        failures, requests, lastFailure);
    // Every request after the first couple of seconds succeeded, without restarting anything.
    assertThat(lastFailure).isLessThan(30);
    assertThat(failures).isLessThanOrEqualTo(5);
  }

  @Test
  @Order(6)
  void downLeavesNoProcessBehind() throws Exception {
    suite.ok(Duration.ofMinutes(3), "down");
    List<Long> alive =
        pidsWhileUp.stream().filter(pid -> ProcessHandle.of(pid).isPresent()).toList();
    assertThat(alive).isEmpty();
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    for (JsonNode row : rows) {
      assertThat(row.get("pid").isNull()).as(row.get("name").asString()).isTrue();
    }
  }

  private static List<String> roles(JsonNode rows) {
    List<String> roles = new ArrayList<>();
    rows.forEach(r -> roles.add(r.get("role").asString()));
    return roles;
  }

  private static void assertProblem(HttpResponse<String> response, String slug) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo("urn:faultline:problem:" + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
    assertThat(problem.has("title") && problem.has("detail") && problem.has("traceId")).isTrue();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(GATEWAY + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(GATEWAY + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
