package dev.faultline.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.ShardClient;
import dev.faultline.testing.Http;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** payment-service against real PostgreSQL and ZooKeeper, called over HTTP with real tokens. */
@WithPostgres
@WithZooKeeper
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccountApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.withShard(registry::add, false);
  }

  @Autowired Environment environment;
  @Autowired ShardClient shards;

  Http http;
  String bobsAccount = "acc-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void setUp() {
    http = Http.localhost(environment.getRequiredProperty("local.server.port", Integer.class));
    shards.write(
        bobsAccount,
        db ->
            db.sql(
                    "insert into accounts (id, owner_id, currency, balance_cents) values (?, 'bob',"
                        + " 'EUR', 5000)")
                .param(bobsAccount)
                .update());
  }

  @Test
  void ownerReadsTheAccountWithItsRevisionAsETag() throws Exception {
    HttpResponse<String> response =
        http.get("/api/accounts/" + bobsAccount, TestTokens.customer("bob"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("ETag")).hasValue("\"1\"");
    JsonNode account = JSON.readTree(response.body());
    assertThat(account.get("balanceCents").asLong()).isEqualTo(5000);
    assertThat(account.get("currency").asString()).isEqualTo("EUR");
  }

  @Test
  void missingAccountIs404AndSomeoneElsesIs403() throws Exception {
    HttpResponse<String> missing = http.get("/api/accounts/acc-none", TestTokens.customer("bob"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:account-not-found");
    assertThat(http.get("/api/accounts/" + bobsAccount, TestTokens.customer("eve")).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/api/accounts/" + bobsAccount, TestTokens.admin()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void invalidIdIsA400ProblemAndNoTokenA401() throws Exception {
    HttpResponse<String> invalid =
        http.get("/api/accounts/" + "x".repeat(65), TestTokens.customer("bob"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(http.get("/api/accounts/" + bobsAccount, null).statusCode()).isEqualTo(401);
  }
}
