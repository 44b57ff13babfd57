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
    // The admin gets past the gateway and the router answers (no such shard).
    HttpResponse<String> admin = post("/api/shards/9/failover", adminToken);
    assertThat(admin.statusCode()).isEqualTo(404);
    assertProblem(admin, "shard-not-found");
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
  void killingAShardPrimaryPromotesItsReplicaAndTheOldPrimaryRejoinsAsReplica() throws Exception {
    String account = null;
    for (int i = 0; account == null; i++) {
      JsonNode route =
          JSON.readTree(get("/api/shards/route?key=acc-e2e-" + i, customerToken).body());
      if (route.get("shard").asInt() == 0) {
        account = "acc-e2e-" + i;
      }
    }
    // The router repairs shards only under its lock-service lease (and fences with its token).
    HttpResponse<String> routerLease = get("/api/locks/shard-router-leader", customerToken);
    assertThat(routerLease.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(routerLease.body()).get("holder").asString())
        .isEqualTo("shard-router-1");
    JsonNode before = JSON.readTree(get("/api/shards", customerToken).body());
    String replica = before.get("shards").get(0).get("replicas").get(0).asString();

    assertThat(suite.ok(Duration.ofMinutes(1), "kill", "pg-shard-0-primary")).contains("SIGKILL");
    long killed = System.nanoTime();
    // Reads of the latest data on shard 0 go to its primary: served again once it failed over.
    HttpResponse<String> read = get("/api/accounts/" + account, customerToken);
    while (read.statusCode() != 404 && System.nanoTime() - killed < 30_000_000_000L) {
      Thread.sleep(200);
      read = get("/api/accounts/" + account, customerToken);
    }
    double seconds = (System.nanoTime() - killed) / 1e9;
    System.out.printf("after kill pg-shard-0-primary: shard 0 served again in %.1f s%n", seconds);
    assertProblem(read, "account-not-found");
    JsonNode after = JSON.readTree(get("/api/shards", customerToken).body());
    assertThat(after.get("epoch").asLong()).isGreaterThan(before.get("epoch").asLong());
    assertThat(after.get("shards").get(0).get("primary").asString()).isEqualTo(replica);
    assertThat(seconds).isLessThan(10);

    // Started again, the old primary comes back as a replica of its successor (pg_rewind), and the
    // shard is promotable again once it is in sync.
    suite.ok(Duration.ofMinutes(2), "start", "pg-shard-0-primary");
    long deadline = System.nanoTime() + 60_000_000_000L;
    String state = "";
    while (!state.equals("SYNC") && System.nanoTime() < deadline) {
      Thread.sleep(500);
      state =
          JSON.readTree(get("/api/shards", customerToken).body())
              .get("shards")
              .get(0)
              .get("state")
              .asString();
    }
    assertThat(state).isEqualTo("SYNC");
    JsonNode rows = JSON.readTree(suite.ok(Duration.ofMinutes(1), "status", "--json"));
    for (JsonNode row : rows) {
      if (row.get("name").asString().equals("pg-shard-0-primary")) {
        assertThat(row.get("role").asString()).isEqualTo("replica");
      }
    }
  }

  @Test
  @Order(7)
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
