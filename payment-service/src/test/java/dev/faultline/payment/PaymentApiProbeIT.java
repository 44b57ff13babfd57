package dev.faultline.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.testing.ApiProbe;
import dev.faultline.testing.Http;
import dev.faultline.testing.Json;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.ValidRequests;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
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
 * Every accounts and payments endpoint its OpenAPI document describes, probed with bad input
 * derived from it: each answer a 4xx problem, and every table of the shard exactly as before.
 */
@WithPostgres
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentApiProbeIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
    ServiceTestProperties.withLockService(registry::add, "payment-service");
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;

  @Test
  void badInputToEveryDescribedEndpointIsA4xxProblemAndChangesNothing() throws Exception {
    Http http = Http.localServer(environment);
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    String customer = TestTokens.customer(bob);
    String saga = TestTokens.service("order-service");
    String account = http.openAccount(bob, "EUR", 5000);
    String order = UUID.randomUUID().toString();
    String charge =
        Json.object("orderId", order, "accountId", account, "amountCents", 100, "currency", "EUR");
    HttpResponse<String> charged =
        http.keyed("/api/payments", saga, UUID.randomUUID().toString(), charge);
    assertThat(charged.statusCode()).as(charged.body()).isEqualTo(201);
    String payment = JSON.readTree(charged.body()).get("id").asString();
    List<String> before = tables();

    ApiProbe.Report report =
        ApiProbe.run(http, ValidRequests.payments(bob, account, payment, customer, saga));

    System.out.println(report.probes() + " bad requests to " + report.operations());
    assertThat(report.findings()).isEmpty();
    assertThat(report.probes()).isGreaterThan(150);
    assertThat(tables()).isEqualTo(before);
  }

  private List<String> tables() {
    return shards.read(
        0, Freshness.LATEST, db -> db.sql(ApiProbe.TABLE_DIGESTS_SQL).query(String.class).list());
  }
}
