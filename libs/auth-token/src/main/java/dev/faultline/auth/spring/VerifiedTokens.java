package dev.faultline.auth.spring;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Tokens whose signature this process has checked, by their exact text, so a client that sends the
 * same token on every request (every client does, for minutes) pays the parse and the RSA check
 * once. The claims are validated on every use all the same (expiry, issuer, audience, lifetime, key
 * binding): only the work that cannot give another answer for the same bytes with the same keys is
 * skipped. A token whose parse or signature fails is never remembered. Bounded: past {@link
 * #MAX_ENTRIES} the memory starts over, which costs a check per token again, never a wrong answer.
 */
final class VerifiedTokens {
  static final int MAX_ENTRIES = 10_000;

  /** What {@code NimbusJwtDecoder} says of a token whose claims fail, kept word for word. */
  private static final String FAILED = "An error occurred while attempting to decode the Jwt: %s";

  private final Map<String, Jwt> verified = new ConcurrentHashMap<>();
  private final OAuth2TokenValidator<Jwt> validator;

  VerifiedTokens(OAuth2TokenValidator<Jwt> validator) {
    this.validator = validator;
  }

  /**
   * A blocking decoder: {@code signatureOnly} parses and checks the signature (its own claim
   * validation switched off), this checks the claims on every call.
   */
  JwtDecoder servlet(JwtDecoder signatureOnly) {
    return token -> {
      Jwt jwt = verified.get(token);
      if (jwt == null) {
        jwt = remember(token, signatureOnly.decode(token));
      }
      return validated(jwt);
    };
  }

  /** The same for the gateway's reactive chain. */
  ReactiveJwtDecoder reactive(ReactiveJwtDecoder signatureOnly) {
    return token -> {
      Jwt known = verified.get(token);
      Mono<Jwt> jwt =
          known != null
              ? Mono.just(known)
              : signatureOnly.decode(token).map(decoded -> remember(token, decoded));
      return jwt.map(this::validated);
    };
  }

  /** Checks passed for claims only: the validator is {@link #validated}'s. */
  static OAuth2TokenValidator<Jwt> none() {
    return jwt -> OAuth2TokenValidatorResult.success();
  }

  int size() {
    return verified.size();
  }

  private Jwt remember(String token, Jwt jwt) {
    if (verified.size() >= MAX_ENTRIES) {
      verified.clear();
    }
    verified.put(token, jwt);
    return jwt;
  }

  private Jwt validated(Jwt jwt) {
    OAuth2TokenValidatorResult result = validator.validate(jwt);
    if (result.hasErrors()) {
      Collection<OAuth2Error> errors = result.getErrors();
      String description =
          errors.stream()
              .map(OAuth2Error::getDescription)
              .filter(d -> d != null && !d.isEmpty())
              .findFirst()
              .map(FAILED::formatted)
              .orElse("Unable to validate Jwt");
      throw new JwtValidationException(description, errors);
    }
    return jwt;
  }
}
