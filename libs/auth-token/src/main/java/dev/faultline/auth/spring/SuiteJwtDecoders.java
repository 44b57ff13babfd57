package dev.faultline.auth.spring;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.faultline.auth.Role;
import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenClaims;
import dev.faultline.auth.TrustedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/**
 * The token checks every verifier of the suite applies: RS256 with a key it trusts, issuer,
 * audience, a bounded life. The services trust the suite's key and each service's own ({@link
 * TrustedKeys}); the gateway, the public edge, the suite's key alone, so a service's token is
 * refused there even if it leaks.
 */
public final class SuiteJwtDecoders {
  /** The clock skew the timestamp checks allow, as Spring's default. */
  private static final Duration SKEW = Duration.ofSeconds(60);

  private SuiteJwtDecoders() {}

  public static TrustedKeys trustedKeys(Path file) {
    try {
      return TrustedKeys.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the token verification keys (faultline.auth.public-key-file=" + file + ")",
          e);
    }
  }

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
  public static OAuth2TokenValidator<Jwt> validator(TrustedKeys trusted) {
    return new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(TokenClaims.ISSUER),
        SuiteJwtDecoders::boundedLifetime,
        new JwtClaimValidator<java.util.List<String>>(
            "aud", aud -> aud != null && aud.contains(TokenClaims.AUDIENCE)),
        jwt -> keyBinding(trusted, jwt));
  }

  /**
   * What a key may sign. A token names its key ({@code kid}; without it the key selector would try
   * every trusted key, and a service's key could pass for the suite's). A service's key signs only
   * that service's own token: its name as subject, the service role alone, at most {@link
   * TokenClaims#SERVICE_MAX_LIFETIME}. The suite's key never signs a service role.
   */
  static OAuth2TokenValidatorResult keyBinding(TrustedKeys trusted, Jwt jwt) {
    Object kid = jwt.getHeaders().get("kid");
    if (kid == null) {
      return failure("the token must name its key (kid)");
    }
    List<String> roles = jwt.getClaimAsStringList(TokenClaims.ROLES);
    boolean serviceRole = roles != null && roles.contains(Role.SERVICE.claimValue());
    Optional<String> service = trusted.serviceOf(kid.toString());
    if (service.isEmpty()) {
      return serviceRole
          ? failure("a service token must be signed with that service's own key")
          : OAuth2TokenValidatorResult.success();
    }
    if (!service.get().equals(jwt.getSubject())
        || !List.of(Role.SERVICE.claimValue()).equals(roles)) {
      return failure("the key of " + service.get() + " signs only its own service tokens");
    }
    Instant expires = jwt.getExpiresAt();
    Instant issued = jwt.getIssuedAt();
    Duration max = TokenClaims.SERVICE_MAX_LIFETIME;
    if (expires == null
        || issued == null
        || Duration.between(issued, expires).compareTo(max) > 0
        || Duration.between(Instant.now(), expires).compareTo(max.plus(SKEW)) > 0) {
      return failure("a service token lives at most " + max);
    }
    return OAuth2TokenValidatorResult.success();
  }

  /** The suite's key alone: tokens for customers and operators, as the public edge takes. */
  static OAuth2TokenValidator<Jwt> suiteOnlyValidator(RSAPublicKey suite) {
    return validator(new TrustedKeys(suite, java.util.Map.of()));
  }

  private static OAuth2TokenValidatorResult failure(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
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

  /** For blocking (servlet) verifiers, the services: every trusted key, chosen by {@code kid}. */
  public static NimbusJwtDecoder servlet(Path publicKeyFile) {
    TrustedKeys trusted = trustedKeys(publicKeyFile);
    List<JWK> keys = new ArrayList<>();
    keys.add(jwk(trusted.suite()));
    trusted.services().values().forEach(key -> keys.add(jwk(key)));
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(keys))));
    processor.setJWTClaimsSetVerifier((claims, context) -> {}); // the validators below check them
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(validator(trusted));
    return decoder;
  }

  private static JWK jwk(RSAPublicKey key) {
    return new RSAKey.Builder(key)
        .keyID(SigningKeys.keyId(key))
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256)
        .build();
  }

  /** For reactive verifiers, the gateway: the suite's key alone (the file's first block). */
  public static NimbusReactiveJwtDecoder reactive(Path publicKeyFile) {
    RSAPublicKey suite = publicKey(publicKeyFile);
    NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(suite).build();
    decoder.setJwtValidator(suiteOnlyValidator(suite));
    return decoder;
  }
}
