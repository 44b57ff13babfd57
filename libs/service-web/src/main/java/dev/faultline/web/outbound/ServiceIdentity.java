package dev.faultline.web.outbound;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenClaims;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token this service presents when it calls another one. With its own signing key
 * ({@code faultline.service.signing-key}, as {@code bin/suite}, the compose secrets job and {@code
 * bin/suite k8s-secrets} hand it out) it mints its own: its name as subject, the service role and
 * nothing more, alive {@link TokenClaims#SERVICE_TOKEN_TTL} and renewed when half of that is gone,
 * so a token that leaks from a log or a packet capture is soon worthless and was never good at the
 * public edge. Callees decide what the name may do (its own lock names; the order saga's payments).
 */
public final class ServiceIdentity {
  private static final Logger log = LoggerFactory.getLogger(ServiceIdentity.class);

  private final String name;
  private final @Nullable String fixedToken;
  private final @Nullable TokenMinter minter;
  private final Duration ttl;
  private final Clock clock;
  private volatile @Nullable Minted current;

  private record Minted(String token, Instant renewAt) {}

  public ServiceIdentity(String name, ServiceCredentials credentials, Clock clock) {
    this(name, credentials, TokenClaims.SERVICE_TOKEN_TTL, clock);
  }

  ServiceIdentity(String name, ServiceCredentials credentials, Duration ttl, Clock clock) {
    this.name = name;
    this.ttl = ttl;
    this.clock = clock;
    String key = credentials.signingKey();
    if (key != null && !key.isBlank()) {
      try {
        this.minter = new TokenMinter(SigningKeys.fromPrivatePem(key), clock);
      } catch (IOException e) {
        throw new UncheckedIOException("faultline.service.signing-key is not a usable key", e);
      }
      this.fixedToken = null;
      log.info("calls other services as {}, with tokens it mints for {} and renews", name, ttl);
    } else {
      this.minter = null;
      this.fixedToken = credentials.token();
    }
  }

  /** A token that is good now (minted or renewed if need be), or a clear failure without one. */
  public String requireToken() {
    if (minter == null) {
      if (fixedToken == null || fixedToken.isBlank()) {
        throw new IllegalStateException(
            "neither faultline.service.signing-key (FAULTLINE_SERVICE_SIGNINGKEY) nor"
                + " faultline.service.token is set: this service cannot call the others");
      }
      return fixedToken;
    }
    Minted minted = current;
    if (minted == null || !clock.instant().isBefore(minted.renewAt())) {
      synchronized (this) {
        minted = current;
        Instant now = clock.instant();
        if (minted == null || !now.isBefore(minted.renewAt())) {
          minted =
              new Minted(minter.mint(TokenRequest.service(name, ttl)), now.plus(ttl.dividedBy(2)));
          current = minted;
        }
      }
    }
    return minted.token();
  }
}
