package dev.faultline.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a minted token asserts: whose identity ({@code sub}, a customer ID for customers), which
 * roles, and for how long.
 */
public record TokenRequest(String subject, Set<Role> roles, Duration ttl) {

  public TokenRequest {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank() || subject.length() > 128) {
      throw new IllegalArgumentException("subject must be 1-128 characters, got '" + subject + "'");
    }
    roles = Set.copyOf(roles);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one role");
    }
    if (roles.contains(Role.SERVICE) && roles.size() > 1) {
      throw new IllegalArgumentException("a service token carries the service role alone");
    }
    Duration max =
        roles.contains(Role.SERVICE) ? TokenClaims.SERVICE_MAX_LIFETIME : TokenClaims.MAX_LIFETIME;
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "ttl must be positive and at most " + max + ", got " + ttl);
    }
  }

  public static TokenRequest customer(String customerId, Duration ttl) {
    return new TokenRequest(customerId, Set.of(Role.CUSTOMER), ttl);
  }

  /**
   * What {@code bin/suite token} asks for, wherever the key is: {@code customer} (default {@code
   * alice}), or with {@code admin} an administrator named {@code customer} (default {@code admin}).
   */
  public static TokenRequest ofCommandLine(@Nullable String customer, boolean admin, Duration ttl) {
    return admin
        ? admin(customer == null ? "admin" : customer, ttl)
        : customer(customer == null ? "alice" : customer, ttl);
  }

  /** A service's own token: its name, the service role, a short life. */
  public static TokenRequest service(String name, Duration ttl) {
    return new TokenRequest(name, Set.of(Role.SERVICE), ttl);
  }

  public static TokenRequest admin(String subject, Duration ttl) {
    return new TokenRequest(subject, Set.of(Role.ADMIN, Role.CUSTOMER), ttl);
  }
}
