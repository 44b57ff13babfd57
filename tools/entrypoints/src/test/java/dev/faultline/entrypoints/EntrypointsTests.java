package dev.faultline.entrypoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.spring.SuiteJwtDecoders;
import dev.faultline.entrypoints.secrets.SecretsJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntrypointsTests {
  @TempDir Path root;

  @Test
  void aTokenIsMintedWithTheStacksKeyForTheCustomerOrAdminAsked() throws Exception {
    new SecretsJob(root, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream())).run();
    var decoder =
        SuiteJwtDecoders.servlet(root.resolve("gateway").resolve(SigningKeys.PUBLIC_FILE));
    var alice = decoder.decode(Entrypoints.token(List.of("token", root.toString())));
    assertThat(alice.getSubject()).isEqualTo("alice");
    var admin =
        decoder.decode(
            Entrypoints.token(List.of("token", root.toString(), "--customer", "ops", "--admin")));
    assertThat(admin.getSubject()).isEqualTo("ops");
    assertThat(admin.getClaimAsStringList("roles")).contains("admin");
  }

  @Test
  void noKeyNoTokenAndNoKeyIsMadeUp() {
    assertThatThrownBy(() -> Entrypoints.token(List.of("token", root.toString())))
        .hasMessageContaining("secrets job has not run");
    assertThat(root.resolve("signing")).doesNotExist();
  }
}
