package dev.faultline.auth;

/** Names every issuer and verifier of the suite's tokens agrees on. */
public final class TokenClaims {
  /** {@code iss} of every token the suite mints; verifiers reject any other issuer. */
  public static final String ISSUER = "faultline";

  /** {@code aud} of every token: the suite's API as a whole. */
  public static final String AUDIENCE = "faultline-api";

  /** A JSON array of {@link Role#claimValue()}s. */
  public static final String ROLES = "roles";

  private TokenClaims() {}
}
