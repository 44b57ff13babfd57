package dev.faultline.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TrustedKeys;
import dev.faultline.cluster.secrets.ServiceSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretsTests {
  @TempDir Path dir;

  @Test
  void eachServiceGetsItsOwnSecretsAndPostgresItsPasswordsTheSigningKeyStaysHere()
      throws Exception {
    ClusterSecrets secrets = new ClusterSecrets(dir);
    var all = secrets.secrets();
    assertThat(all)
        .containsOnlyKeys(
            "faultline-postgres",
            "faultline-shard-router",
            "faultline-order-service",
            "faultline-payment-service");
    assertThat(all.get("faultline-postgres")).containsOnlyKeys("postgres.properties");
    assertThat(all.get("faultline-order-service"))
        .containsOnlyKeys("faultline.shards.password", "faultline.service.signing-key");
    assertThat(all.get("faultline-shard-router").keySet())
        .isEqualTo(
            ServiceSecrets.forService(
                    "shard-router", secrets.suiteKeys(), secrets.postgresCredentials())
                .keySet());
    // Each service gets its own private key, never the suite's, and the ConfigMap trusts them all.
    String ordersKey = all.get("faultline-order-service").get("faultline.service.signing-key");
    assertThat(SigningKeys.fromPrivatePem(ordersKey).publicKey())
        .isEqualTo(secrets.suiteKeys().of("order-service").publicKey())
        .isNotEqualTo(secrets.signingKeys().publicKey());
    assertThat(TrustedKeys.read(dir.resolve("signing").resolve(SigningKeys.PUBLIC_FILE)).services())
        .containsOnlyKeys(ServiceSecrets.CALLING_SERVICES);
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
  void keysAndPasswordsAreKeptAcrossRuns() throws Exception {
    var first = new ClusterSecrets(dir).secrets();
    String firstManifests = new ClusterSecrets(dir).manifests();
    assertThat(new ClusterSecrets(dir).secrets()).isEqualTo(first);
    assertThat(new ClusterSecrets(dir).manifests()).isEqualTo(firstManifests);
  }
}
