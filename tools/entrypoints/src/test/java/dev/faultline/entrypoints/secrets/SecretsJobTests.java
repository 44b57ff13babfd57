package dev.faultline.entrypoints.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.auth.spring.SuiteJwtDecoders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsJobTests {
  @TempDir Path root;

  private void run() throws Exception {
    new SecretsJob(root, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream())).run();
  }

  @Test
  void eachAudienceGetsWhatItNeedsAndNothingElse() throws Exception {
    run();
    assertThat(root.resolve("signing").resolve(SigningKeys.PRIVATE_FILE)).exists();
    assertThat(root.resolve("postgres/postgres.properties")).exists();
    for (String service : SecretsJob.SERVICES) {
      assertThat(root.resolve(service).resolve(SigningKeys.PUBLIC_FILE)).exists();
      assertThat(root.resolve(service).resolve(SigningKeys.PRIVATE_FILE)).doesNotExist();
    }
    assertThat(list("gateway")).isEmpty();
    assertThat(list("lock-service")).isEmpty();
    assertThat(list("order-service"))
        .containsExactlyInAnyOrder("faultline.shards.password", "faultline.service.signing-key");
    assertThat(list("shard-router"))
        .containsExactlyInAnyOrder(
            "faultline.shards.password",
            "faultline.router.admin-password",
            "faultline.service.signing-key");
    Path key = root.resolve("order-service/config/faultline.service.signing-key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    // A token the service mints with its own key verifies with the keys every service is given.
    String token =
        new TokenMinter(SigningKeys.fromPrivatePem(Files.readString(key)), Clock.systemUTC())
            .mint(TokenRequest.service("order-service", Duration.ofMinutes(5)));
    var jwt =
        SuiteJwtDecoders.servlet(root.resolve("payment-service").resolve(SigningKeys.PUBLIC_FILE))
            .decode(token);
    assertThat(jwt.getSubject()).isEqualTo("order-service");
    assertThat(Files.readString(key))
        .isNotEqualTo(
            Files.readString(root.resolve("payment-service/config/faultline.service.signing-key")))
        .isNotEqualTo(Files.readString(root.resolve("signing").resolve(SigningKeys.PRIVATE_FILE)));
    // The application's password is the one the PostgreSQL nodes create the role with.
    Properties pg = new Properties();
    try (var in = Files.newBufferedReader(root.resolve("postgres/postgres.properties"))) {
      pg.load(in);
    }
    assertThat(Files.readString(root.resolve("payment-service/config/faultline.shards.password")))
        .isEqualTo(pg.getProperty("app.password"));
    assertThat(
            Files.readString(root.resolve("shard-router/config/faultline.router.admin-password")))
        .isEqualTo(pg.getProperty("superuser.password"));
  }

  @Test
  void aSecondStartKeepsTheKeysAndPasswords() throws Exception {
    run();
    String key = Files.readString(root.resolve("signing").resolve(SigningKeys.PRIVATE_FILE));
    String own =
        Files.readString(root.resolve("order-service/config/faultline.service.signing-key"));
    String passwords = Files.readString(root.resolve("postgres/postgres.properties"));
    String grafana = Files.readString(root.resolve("grafana/admin-password"));
    run();
    assertThat(Files.readString(root.resolve("signing").resolve(SigningKeys.PRIVATE_FILE)))
        .isEqualTo(key);
    assertThat(Files.readString(root.resolve("order-service/config/faultline.service.signing-key")))
        .isEqualTo(own);
    assertThat(Files.readString(root.resolve("postgres/postgres.properties"))).isEqualTo(passwords);
    assertThat(Files.readString(root.resolve("grafana/admin-password"))).isEqualTo(grafana);
  }

  private java.util.List<String> list(String service) throws Exception {
    try (var files = Files.list(root.resolve(service).resolve("config"))) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
