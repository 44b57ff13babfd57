package dev.faultline.auth.spring;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenClaims;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/** The token checks every verifier of the suite applies: RS256 with our key, issuer, audience. */
public final class SuiteJwtDecoders {
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

  /** Issuer, expiry/not-before (with the default 60 s clock skew) and audience. */
  public static OAuth2TokenValidator<Jwt> validator() {
    return new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(TokenClaims.ISSUER),
        new JwtClaimValidator<java.util.List<String>>(
            "aud", aud -> aud != null && aud.contains(TokenClaims.AUDIENCE)));
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
