package dev.faultline.gateway.balancing;

import dev.faultline.gateway.ratelimit.Callers;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What keeps a route's requests together on one instance under {@code bounded-load-hashing}: the
 * caller (one customer's orders and accounts: its account leases stay cached where its requests
 * land), the lock's name (one lock's acquires, renewals and waiters meet on one instance), or
 * nothing.
 */
public enum Affinity {
  NONE,
  /** The authenticated caller, the token's subject. */
  CUSTOMER,
  /** The {@code {name}} of {@code /api/locks/{name}/...}. */
  LOCK_NAME;

  /** The request's key, or null when it has none. */
  @Nullable String keyOf(String path, Map<String, Object> attributes) {
    return switch (this) {
      case NONE -> null;
      case CUSTOMER -> Callers.of(attributes);
      case LOCK_NAME -> lockName(path);
    };
  }

  static @Nullable String lockName(String path) {
    String prefix = "/api/locks/";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    int end = path.indexOf('/', prefix.length());
    return path.substring(prefix.length(), end < 0 ? path.length() : end);
  }
}
