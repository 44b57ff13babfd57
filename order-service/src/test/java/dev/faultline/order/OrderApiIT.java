package dev.faultline.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.ShardClient;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** order-service against real PostgreSQL and ZooKeeper, called over HTTP with real tokens. */
@WithPostgres
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;
  @Autowired CuratorFramework zk;

  Http http;
  UUID bobsOrder = UUID.randomUUID();

  @BeforeEach
  void setUp() {
    http = Http.localhost(environment.getRequiredProperty("local.server.port", Integer.class));
    shards.write(
        "bob",
        db -> {
          db.sql(
                  "insert into orders (id, customer_id, account_id, currency, total_cents, status)"
                      + " values (?, 'bob', 'acc-bob', 'EUR', 1250, 'PENDING')")
              .param(bobsOrder)
              .update();
          return db.sql(
                  "insert into order_status_history (order_id, seq, status) values (?, 1,"
                      + " 'PENDING')")
              .param(bobsOrder)
              .update();
        });
  }

  @Test
  void missingOrderIsA404ProblemWithTheTraceId() throws Exception {
    HttpResponse<String> response =
        http.get("/api/orders/" + UUID.randomUUID(), TestTokens.customer("alice"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo("urn:faultline:problem:order-not-found");
    assertThat(problem.get("traceId").asString()).matches("[0-9a-f]{32}");
  }

  @Test
  void customerReadsTheirOwnOrderWithHistoryAndRevisionETag() throws Exception {
    HttpResponse<String> response =
        http.get("/api/orders/" + bobsOrder, TestTokens.customer("bob"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("ETag")).hasValue("\"1\"");
    JsonNode order = JSON.readTree(response.body());
    assertThat(order.get("customerId").asString()).isEqualTo("bob");
    assertThat(order.get("totalCents").asLong()).isEqualTo(1250);
    assertThat(order.get("history").get(0).get("status").asString()).isEqualTo("PENDING");
  }

  @Test
  void anotherCustomersOrderIsForbiddenButAnAdminMayReadIt() {
    assertThat(http.get("/api/orders/" + bobsOrder, TestTokens.customer("alice")).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/orders?customerId=bob", TestTokens.customer("alice")).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/orders/" + bobsOrder, TestTokens.admin()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theServiceChecksTokensItselfNotOnlyTheGateway() throws Exception {
    HttpResponse<String> none = http.get("/api/orders/" + bobsOrder, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:unauthorized");
    assertThat(http.get("/api/orders/" + bobsOrder, TestTokens.forged("bob")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void malformedInputIsA400ProblemNeverA500() throws Exception {
    HttpResponse<String> response = http.get("/api/orders/not-a-uuid", TestTokens.customer("bob"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(400);
    assertThat(http.get("/api/orders", TestTokens.customer("bob")).statusCode()).isEqualTo(400);
    assertThat(http.get("/api/nothing-here", TestTokens.customer("bob")).statusCode())
        .isEqualTo(404);
  }

  @Test
  void healthProbesAreOpenAndTheInstanceIsDiscoverable() throws Exception {
    assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    assertThat(http.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(http.get("/actuator/prometheus", null).body())
        .contains("http_server_requests_seconds_bucket");
    assertThat(zk.getChildren().forPath("/services/order-service")).isNotEmpty();
  }
}
