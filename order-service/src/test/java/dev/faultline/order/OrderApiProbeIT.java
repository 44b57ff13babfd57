package dev.faultline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.testing.ApiProbe;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.SharedInfrastructure;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.ValidRequests;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every order and saga endpoint its OpenAPI document describes, probed with bad input derived from
 * it: each answer a 4xx problem, every table of the shard and the paying account as before.
 */
@WithPostgres
@WithZooKeeper
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "faultline.saga.poll-interval=200ms")
class OrderApiProbeIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
    ServiceTestProperties.withLockService(registry::add, "order-service");
    SharedInfrastructure.service("payment-service");
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;

  @Test
  void badInputToEveryDescribedEndpointIsA4xxProblemAndChangesNothing() throws Exception {
    Http http = Http.localServer(environment);
    Http payments = new Http(SharedInfrastructure.service("payment-service").uri().toString());
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    String customer = TestTokens.customer(bob);
    String admin = TestTokens.admin();
    String account = payments.openAccount(bob, "EUR", 5000);
    String order =
        "{\"customerId\":\"%s\",\"accountId\":\"%s\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"sku-1\",\"quantity\":1,\"unitPriceCents\":100}]}"
            .formatted(bob, account);
    HttpResponse<String> placed =
        http.keyed("/api/orders", customer, UUID.randomUUID().toString(), order);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String id = JSON.readTree(placed.body()).get("id").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                JSON.readTree(http.get("/api/orders/" + id, customer).body())
                    .get("status")
                    .asString()
                    .equals("CONFIRMED"));
    List<String> before = tables();
    String balance = payments.get("/api/accounts/" + account, customer).body();

    ApiProbe.Report report =
        ApiProbe.run(http, ValidRequests.orders(bob, order, id, customer, admin));

    System.out.println(report.probes() + " bad requests to " + report.operations());
    assertThat(report.findings()).isEmpty();
    assertThat(report.probes()).isGreaterThan(120);
    assertThat(tables()).isEqualTo(before);
    assertThat(payments.get("/api/accounts/" + account, customer).body()).isEqualTo(balance);
  }

  private List<String> tables() {
    return shards.read(
        0, Freshness.LATEST, db -> db.sql(ApiProbe.TABLE_DIGESTS_SQL).query(String.class).list());
  }
}
