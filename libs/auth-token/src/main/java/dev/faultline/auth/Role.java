package dev.faultline.auth;

import java.util.Locale;

/** What a bearer may do: customers act on their own data, admins on anyone's and on the shards. */
public enum Role {
  CUSTOMER,
  ADMIN;

  /** The name as carried in the token's {@code roles} claim. */
  public String claimValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromClaim(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
