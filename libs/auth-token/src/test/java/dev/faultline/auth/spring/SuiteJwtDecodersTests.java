package dev.faultline.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.SuiteKeys;
import dev.faultline.auth.TokenClaims;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.auth.TrustedKeys;
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

  /**
   * A service's key signs that service's short-lived service token and nothing else: not another
   * service's, not an admin's, not one without a key ID (which would be tried against every key),
   * not a long one. The gateway, trusting the suite's key alone, refuses service tokens outright.
   */
  @Test
  void aServiceKeySignsOnlyThatServicesOwnShortServiceToken(@TempDir Path dir) throws Exception {
    SuiteKeys keys = SuiteKeys.loadOrCreate(dir, List.of("order-service", "payment-service"));
    Path file = dir.resolve(SigningKeys.PUBLIC_FILE);
    var decoder = SuiteJwtDecoders.servlet(file);
    SigningKeys orders = keys.of("order-service");
    TokenMinter ordersMinter = new TokenMinter(orders, Clock.systemUTC());
    String own = ordersMinter.mint(TokenRequest.service("order-service", Duration.ofMinutes(5)));

    var jwt = decoder.decode(own);
    assertThat(jwt.getSubject()).isEqualTo("order-service");
    assertThat(new RoleAuthorities().convert(jwt))
        .extracting(Object::toString)
        .containsExactly("ROLE_SERVICE");

    Instant now = Instant.now();
    String impersonating =
        ordersMinter.mint(TokenRequest.service("payment-service", Duration.ofMinutes(5)));
    String admin = ordersMinter.mint(TokenRequest.admin("order-service", Duration.ofMinutes(5)));
    String noKeyId =
        signWithoutKeyId(
            orders,
            claims(now)
                .subject("order-service")
                .expirationTime(Date.from(now.plusSeconds(60)))
                .build());
    String longLived =
        sign(
            orders,
            claims(now)
                .subject("order-service")
                .claim(TokenClaims.ROLES, List.of("service"))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .build());
    String serviceRoleBySuiteKey =
        sign(
            keys.suite(),
            claims(now)
                .subject("order-service")
                .claim(TokenClaims.ROLES, List.of("service"))
                .expirationTime(Date.from(now.plusSeconds(60)))
                .build());
    for (String token : List.of(impersonating, admin, noKeyId, longLived, serviceRoleBySuiteKey)) {
      assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }
    assertThatThrownBy(
            () ->
                TokenRequest.service(
                    "order-service", TokenClaims.SERVICE_MAX_LIFETIME.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);

    // The suite's key still signs customers' and operators' tokens, for services and the edge.
    String operator =
        new TokenMinter(keys.suite(), Clock.systemUTC())
            .mint(TokenRequest.admin("ops", Duration.ofMinutes(5)));
    assertThat(decoder.decode(operator).getSubject()).isEqualTo("ops");
    var edge = SuiteJwtDecoders.reactive(file);
    assertThat(edge.decode(operator).block().getSubject()).isEqualTo("ops");
    assertThatThrownBy(() -> edge.decode(own).block()).isInstanceOf(JwtException.class);
  }

  @Test
  void theTrustedKeysFileRoundTripsAndAServiceKeyComesBackFromItsPrivateHalf(@TempDir Path dir)
      throws Exception {
    SuiteKeys keys = SuiteKeys.loadOrCreate(dir, List.of("shard-router", "order-service"));
    TrustedKeys read = TrustedKeys.read(dir.resolve(SigningKeys.PUBLIC_FILE));
    assertThat(read).isEqualTo(keys.trusted());
    assertThat(read.serviceOf(keys.of("shard-router").keyId())).hasValue("shard-router");
    assertThat(read.serviceOf(keys.suite().keyId())).isEmpty();
    // The first block is the suite's: readers of one key (the gateway) trust it alone.
    assertThat(SigningKeys.readPublic(dir.resolve(SigningKeys.PUBLIC_FILE)))
        .isEqualTo(keys.suite().publicKey());
    SigningKeys fromPrivate = SigningKeys.fromPrivatePem(keys.of("order-service").privatePem());
    assertThat(fromPrivate.publicKey()).isEqualTo(keys.of("order-service").publicKey());
    // Loading again keeps every key.
    assertThat(SuiteKeys.loadOrCreate(dir, List.of("shard-router", "order-service")))
        .isEqualTo(keys);
  }

  private static String signWithoutKeyId(SigningKeys keys, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
    jwt.sign(new RSASSASigner(keys.privateKey()));
    return jwt.serialize();
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
