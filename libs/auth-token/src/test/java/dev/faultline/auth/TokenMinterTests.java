package dev.faultline.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMinterTests {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void mintedTokenVerifiesWithThePublicKeyAndCarriesTheClaims(@TempDir Path dir) throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    String token =
        new TokenMinter(keys, Clock.fixed(NOW, ZoneOffset.UTC))
            .mint(TokenRequest.customer("c-42", Duration.ofHours(1)));

    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(
            jwt.verify(new RSASSAVerifier(SigningKeys.readPublic(dir.resolve("jwt-public.pem")))))
        .isTrue();
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.keyId());
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("c-42");
    assertThat(claims.getIssuer()).isEqualTo(TokenClaims.ISSUER);
    assertThat(claims.getAudience()).containsExactly(TokenClaims.AUDIENCE);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(claims.getStringListClaim(TokenClaims.ROLES)).isEqualTo(List.of("customer"));
  }

  @Test
  void tokenSignedByAnotherSuiteDoesNotVerify(@TempDir Path dir) throws Exception {
    SigningKeys ours = SigningKeys.loadOrCreate(dir.resolve("ours"));
    SigningKeys theirs = SigningKeys.loadOrCreate(dir.resolve("theirs"));
    String token =
        new TokenMinter(theirs, Clock.systemUTC())
            .mint(TokenRequest.admin("root", Duration.ofMinutes(5)));

    assertThat(SignedJWT.parse(token).verify(new RSASSAVerifier(ours.publicKey()))).isFalse();
  }

  @Test
  void keysAreWrittenOnceAndThePrivateHalfIsOwnerOnly(@TempDir Path dir) throws Exception {
    SigningKeys first = SigningKeys.loadOrCreate(dir);
    SigningKeys again = SigningKeys.loadOrCreate(dir);

    assertThat(again.publicKey()).isEqualTo(first.publicKey());
    assertThat(again.privateKey()).isEqualTo(first.privateKey());
    assertThat(Files.getPosixFilePermissions(dir.resolve(SigningKeys.PRIVATE_FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void requestRejectsBlankSubjectAndEmptyRoles() {
    assertThatThrownBy(() -> new TokenRequest(" ", Set.of(Role.CUSTOMER), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> new TokenRequest("c-1", Set.of(), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("role");
  }
}
