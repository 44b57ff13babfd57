package dev.faultline.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs RS256 bearer tokens with the suite's private key. Only the token issuer (here {@code
 * bin/suite token} and tests) holds that key; the gateway and the services verify with the public
 * half, so a compromised service cannot mint tokens.
 */
public final class TokenMinter {
  private final SigningKeys keys;
  private final Clock clock;

  public TokenMinter(SigningKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  public String mint(TokenRequest request) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .audience(TokenClaims.AUDIENCE)
            .subject(request.subject())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(request.ttl())))
            .jwtID(UUID.randomUUID().toString())
            .claim(
                TokenClaims.ROLES, request.roles().stream().map(Role::claimValue).sorted().toList())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .keyID(keys.keyId())
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(keys.privateKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token with the suite key", e);
    }
    return jwt.serialize();
  }
}
