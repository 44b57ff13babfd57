package dev.faultline.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.auth.SigningKeys;
import dev.faultline.cluster.secrets.ServiceSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretsTests {
  @TempDir Path dir;

  @Test
  void eachServiceGetsItsOwnSecretsAndPostgresItsPasswordsTheSigningKeyStaysHere()
      throws Exception {
    ClusterSecrets secrets = new ClusterSecrets(dir, Clock.systemUTC());
    var all = secrets.secrets();
    assertThat(all)
        .containsOnlyKeys(
            "faultline-postgres",
            "faultline-shard-router",
            "faultline-order-service",
            "faultline-payment-service");
    assertThat(all.get("faultline-postgres")).containsOnlyKeys("postgres.properties");
    assertThat(all.get("faultline-order-service"))
        .containsOnlyKeys("faultline.shards.password", "faultline.service.token");
    assertThat(all.get("faultline-shard-router").keySet())
        .isEqualTo(
            ServiceSecrets.forService(
                    "shard-router",
                    secrets.signingKeys(),
                    secrets.postgresCredentials(),
                    Clock.systemUTC())
                .keySet());
    String manifests = secrets.manifests();
    assertThat(manifests)
        .contains("kind: ConfigMap\nmetadata:\n  name: faultline-jwt-public")
        .doesNotContain("PRIVATE KEY")
        .doesNotContain(
            Base64.getEncoder()
                .encodeToString(
                    Files.readString(dir.resolve("signing").resolve(SigningKeys.PRIVATE_FILE))
                        .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void keysAndPasswordsAreKeptAcrossRunsServiceTokensAreMintedAfresh() throws Exception {
    Instant now = Instant.parse("2026-12-02T00:00:00Z");
    var first = new ClusterSecrets(dir, Clock.fixed(now, ZoneOffset.UTC)).secrets();
    var second =
        new ClusterSecrets(dir, Clock.fixed(now.plus(Duration.ofDays(1)), ZoneOffset.UTC))
            .secrets();
    assertThat(second.get("faultline-postgres")).isEqualTo(first.get("faultline-postgres"));
    assertThat(second.get("faultline-order-service").get("faultline.shards.password"))
        .isEqualTo(first.get("faultline-order-service").get("faultline.shards.password"));
    assertThat(second.get("faultline-order-service").get("faultline.service.token"))
        .isNotEqualTo(first.get("faultline-order-service").get("faultline.service.token"));
  }
}
