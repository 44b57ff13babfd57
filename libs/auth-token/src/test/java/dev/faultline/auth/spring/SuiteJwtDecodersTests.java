package dev.faultline.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenClaims;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
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

  /** A token that never expires, or outlives the bound, is refused though our key signed it. */
  @Test
  void aTokenWithoutExpiryOrWithTooLongALifeIsRejected(@TempDir Path dir) throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    var decoder = SuiteJwtDecoders.servlet(dir.resolve(SigningKeys.PUBLIC_FILE));
    Instant now = Instant.now();
    String forever = sign(keys, claims(now).build());
    String tooLong =
        sign(
            keys,
            claims(now)
                .expirationTime(
                    Date.from(now.plus(TokenClaims.MAX_LIFETIME).plus(Duration.ofMinutes(1))))
                .build());
    // Without iat, Spring assumes exp - 1 s: the expiry itself must be bounded.
    String farWithoutIssueTime =
        sign(
            keys,
            claims(now)
                .issueTime(null)
                .expirationTime(Date.from(now.plus(Duration.ofDays(3650))))
                .build());
    String justRight =
        sign(keys, claims(now).expirationTime(Date.from(now.plusSeconds(60))).build());

    assertThatThrownBy(() -> decoder.decode(forever)).isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> decoder.decode(tooLong)).isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> decoder.decode(farWithoutIssueTime)).isInstanceOf(JwtException.class);
    assertThat(decoder.decode(justRight).getSubject()).isEqualTo("mallory");
    assertThatThrownBy(
            () -> TokenRequest.customer("a", TokenClaims.MAX_LIFETIME.plus(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static JWTClaimsSet.Builder claims(Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(TokenClaims.ISSUER)
        .audience(TokenClaims.AUDIENCE)
        .subject("mallory")
        .issueTime(Date.from(now))
        .claim(TokenClaims.ROLES, List.of("admin"));
  }

  private static String sign(SigningKeys keys, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.keyId()).build(), claims);
    jwt.sign(new RSASSASigner(keys.privateKey()));
    return jwt.serialize();
  }
}
