package dev.faultline.auth;

import java.time.Duration;

/** Names every issuer and verifier of the suite's tokens agrees on. */
public final class TokenClaims {
  /** {@code iss} of every token the suite mints; verifiers reject any other issuer. */
  public static final String ISSUER = "faultline";

  /** {@code aud} of every token: the suite's API as a whole. */
  public static final String AUDIENCE = "faultline-api";

  /** A JSON array of {@link Role#claimValue()}s. */
  public static final String ROLES = "roles";

  /**
   * The longest a token may live, from {@code iat} to {@code exp}. Verifiers refuse a token without
   * an expiry or with a longer life, so a leaked token cannot be good forever, and minters refuse
   * to make one.
   */
  public static final Duration MAX_LIFETIME = Duration.ofDays(30);

  /**
   * The longest a service's token may live. A service mints its own, signed with its own key, and
   * renews it well before it ends ({@link #SERVICE_TOKEN_TTL}), so a leaked one is soon worthless.
   */
  public static final Duration SERVICE_MAX_LIFETIME = Duration.ofMinutes(15);

  /** How long a service's tokens live as minted; renewed when half is gone. */
  public static final Duration SERVICE_TOKEN_TTL = Duration.ofMinutes(5);

  private TokenClaims() {}
}
