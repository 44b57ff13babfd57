package dev.faultline.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import reactor.core.publisher.Mono;

/** The signature is checked once per token text; the claims on every use; failures never stick. */
class VerifiedTokensTests {
  private final AtomicInteger signatureChecks = new AtomicInteger();
  private final AtomicBoolean claimsFail = new AtomicBoolean();

  private final JwtDecoder signatureOnly =
      token -> {
        signatureChecks.incrementAndGet();
        if (token.startsWith("forged")) {
          throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject("carol")
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(300))
            .build();
      };

  private final OAuth2TokenValidator<Jwt> validator =
      jwt ->
          claimsFail.get()
              ? OAuth2TokenValidatorResult.failure(
                  new OAuth2Error("invalid_token", "the token has expired", null))
              : OAuth2TokenValidatorResult.success();

  @Test
  void aTokensSignatureIsCheckedOnceAndItsClaimsOnEveryUse() {
    JwtDecoder decoder = new VerifiedTokens(validator).servlet(signatureOnly);

    assertThat(decoder.decode("t1").getSubject()).isEqualTo("carol");
    assertThat(decoder.decode("t1").getSubject()).isEqualTo("carol");
    assertThat(signatureChecks).hasValue(1);

    // Claims that stop passing (the token expired meanwhile) fail though the token is known.
    claimsFail.set(true);
    assertThatThrownBy(() -> decoder.decode("t1"))
        .isInstanceOf(JwtValidationException.class)
        .hasMessage("An error occurred while attempting to decode the Jwt: the token has expired");
    assertThat(signatureChecks).hasValue(1);
  }

  @Test
  void aTokenThatFailsIsNeverRemembered() {
    VerifiedTokens tokens = new VerifiedTokens(validator);
    JwtDecoder decoder = tokens.servlet(signatureOnly);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> decoder.decode("forged-1")).isInstanceOf(BadJwtException.class);
    }
    assertThat(signatureChecks).hasValue(2);
    assertThat(tokens.size()).isZero();
  }

  @Test
  void theMemoryIsBounded() {
    VerifiedTokens tokens = new VerifiedTokens(validator);
    JwtDecoder decoder = tokens.servlet(signatureOnly);
    for (int i = 0; i <= VerifiedTokens.MAX_ENTRIES; i++) {
      decoder.decode("t" + i);
    }
    assertThat(tokens.size()).isBetween(1, VerifiedTokens.MAX_ENTRIES);
  }

  @Test
  void theReactiveDecoderDoesTheSame() {
    VerifiedTokens tokens = new VerifiedTokens(validator);
    var decoder = tokens.reactive(token -> Mono.fromCallable(() -> signatureOnly.decode(token)));

    assertThat(decoder.decode("t1").block().getSubject()).isEqualTo("carol");
    assertThat(decoder.decode("t1").block().getSubject()).isEqualTo("carol");
    assertThat(signatureChecks).hasValue(1);
    assertThatThrownBy(() -> decoder.decode("forged-2").block())
        .isInstanceOf(BadJwtException.class);
    claimsFail.set(true);
    assertThatThrownBy(() -> decoder.decode("t1").block())
        .isInstanceOf(JwtValidationException.class);
    assertThat(tokens.size()).isEqualTo(1);
  }
}
