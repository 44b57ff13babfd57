package dev.faultline.cluster.secrets;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.postgres.PostgresCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which secret each of the suite's services is given, as Spring property names and values, so that
 * {@code bin/suite} (environment variables) and the container secrets job (files a service reads as
 * a config tree) hand out the same ones. Nothing here is ever on a command line.
 */
public final class ServiceSecrets {
  /** Service tokens are minted at every start of the suite, and live this long. */
  public static final Duration SERVICE_TOKEN_TTL = Duration.ofDays(30);

  private ServiceSecrets() {}

  /** The secrets of {@code module} ({@code order-service}, …); empty for one that needs none. */
  public static Map<String, String> forService(
      String module, SigningKeys keys, PostgresCredentials credentials, Clock clock) {
    Map<String, String> secrets = new LinkedHashMap<>();
    switch (module) {
      case "gateway", "lock-service" -> {} // verify tokens with the public key only
      case "shard-router" -> {
        secrets.put("faultline.shards.password", credentials.appPassword());
        // Promotion and synchronous_standby_names need PostgreSQL's administrator.
        secrets.put("faultline.router.admin-password", credentials.superuserPassword());
        // The router repairs shards only under a lock-service lease, and calls the lock service
        // with a token of its own.
        secrets.put("faultline.router.lock-lease.token", serviceToken(module, keys, clock));
      }
      case "order-service", "payment-service" -> {
        secrets.put("faultline.shards.password", credentials.appPassword());
        // Services call each other (the saga calls payments; payments take account leases) with a
        // token naming themselves, so the callee's idempotency keys and logs see who called.
        secrets.put("faultline.service.token", serviceToken(module, keys, clock));
      }
      default -> throw new IllegalArgumentException("not a service of the suite: " + module);
    }
    return secrets;
  }

  /** {@code faultline.router.admin-password} → {@code FAULTLINE_ROUTER_ADMIN_PASSWORD}. */
  public static String environmentName(String property) {
    return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String serviceToken(String service, SigningKeys keys, Clock clock) {
    return new TokenMinter(keys, clock).mint(TokenRequest.admin(service, SERVICE_TOKEN_TTL));
  }
}
