package dev.faultline.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.JwtException;

class SuiteJwtDecodersTests {

  @Test
  void aMintedTokenDecodesIntoItsRoles(@TempDir Path dir) throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    var decoder = SuiteJwtDecoders.servlet(dir.resolve(SigningKeys.PUBLIC_FILE));
    var jwt =
        decoder.decode(
            new TokenMinter(keys, Clock.systemUTC())
                .mint(TokenRequest.admin("ops", Duration.ofMinutes(5))));

    assertThat(jwt.getSubject()).isEqualTo("ops");
    assertThat(new RoleAuthorities().convert(jwt))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_CUSTOMER");
  }

  @Test
  void expiredAndForeignTokensAreRejected(@TempDir Path dir) throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    var decoder = SuiteJwtDecoders.servlet(dir.resolve(SigningKeys.PUBLIC_FILE));
    Clock hourAgo = Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC);
    String expired =
        new TokenMinter(keys, hourAgo).mint(TokenRequest.customer("a", Duration.ofMinutes(5)));
    String foreign =
        new TokenMinter(SigningKeys.generate(), Clock.systemUTC())
            .mint(TokenRequest.customer("a", Duration.ofMinutes(5)));

    assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> decoder.decode(foreign)).isInstanceOf(JwtException.class);
  }
}
