package dev.faultline.auth.spring;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenClaims;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/** The token checks every verifier of the suite applies: RS256 with our key, issuer, audience. */
public final class SuiteJwtDecoders {
  /** The clock skew the timestamp checks allow, as Spring's default. */
  private static final Duration SKEW = Duration.ofSeconds(60);

  private SuiteJwtDecoders() {}

  public static RSAPublicKey publicKey(Path file) {
    try {
      return SigningKeys.readPublic(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the token verification key (faultline.auth.public-key-file=" + file + ")",
          e);
    }
  }

  /**
   * Issuer, expiry/not-before (with the default 60 s clock skew), audience, and a bounded life:
   * Spring's timestamp check passes a token that has no {@code exp} at all, which would never
   * expire, so {@code exp} is required, at most {@link TokenClaims#MAX_LIFETIME} from now and from
   * {@code iat}.
   */
  public static OAuth2TokenValidator<Jwt> validator() {
    return new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(TokenClaims.ISSUER),
        SuiteJwtDecoders::boundedLifetime,
        new JwtClaimValidator<java.util.List<String>>(
            "aud", aud -> aud != null && aud.contains(TokenClaims.AUDIENCE)));
  }

  static OAuth2TokenValidatorResult boundedLifetime(Jwt jwt) {
    Instant expires = jwt.getExpiresAt();
    if (expires == null) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "the token must carry exp", null));
    }
    // Spring fills a missing iat in as exp - 1 s, so iat alone cannot bound the life: the expiry
    // is bounded from now as well.
    Instant issued = jwt.getIssuedAt();
    boolean tooLong =
        Duration.between(Instant.now(), expires).compareTo(TokenClaims.MAX_LIFETIME.plus(SKEW)) > 0
            || (issued != null
                && Duration.between(issued, expires).compareTo(TokenClaims.MAX_LIFETIME) > 0);
    if (tooLong) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error(
              "invalid_token", "the token lives longer than " + TokenClaims.MAX_LIFETIME, null));
    }
    return OAuth2TokenValidatorResult.success();
  }

  /** For blocking (servlet) verifiers: the services. */
  public static NimbusJwtDecoder servlet(Path publicKeyFile) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey(publicKeyFile)).build();
    decoder.setJwtValidator(validator());
    return decoder;
  }

  /** For reactive verifiers: the gateway. */
  public static NimbusReactiveJwtDecoder reactive(Path publicKeyFile) {
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withPublicKey(publicKey(publicKeyFile)).build();
    decoder.setJwtValidator(validator());
    return decoder;
  }
}
