package dev.faultline.auth;

import java.util.Locale;

/**
 * What a bearer may do: customers act on their own data, admins on anyone's and on the shards. A
 * service acts only where its callee names it (its own lock names, the order saga's payments): a
 * service token carries {@code SERVICE} alone, signed with that service's own key.
 */
public enum Role {
  CUSTOMER,
  ADMIN,
  SERVICE;

  /** The name as carried in the token's {@code roles} claim. */
  public String claimValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromClaim(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
