package dev.faultline.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

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
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
  }

  public static TokenRequest customer(String customerId, Duration ttl) {
    return new TokenRequest(customerId, Set.of(Role.CUSTOMER), ttl);
  }

  public static TokenRequest admin(String subject, Duration ttl) {
    return new TokenRequest(subject, Set.of(Role.ADMIN, Role.CUSTOMER), ttl);
  }
}
