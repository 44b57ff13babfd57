package dev.faultline.cluster.secrets;

import dev.faultline.auth.SuiteKeys;
import dev.faultline.cluster.postgres.PostgresCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which secret each of the suite's services is given, as Spring property names and values, so that
 * {@code bin/suite} (environment variables) and the container secrets job (files a service reads as
 * a config tree) hand out the same ones. Nothing here is ever on a command line.
 *
 * <p>A service that calls others gets the private half of its own key pair, never a token: it mints
 * its own short-lived tokens, which speak for it alone (see {@code ServiceIdentity}); every
 * verifier holds the public halves. No service gets the suite's key, which signs customers' and
 * operators' tokens.
 */
public final class ServiceSecrets {
  /** The services that call others, each with a key pair of its own. */
  public static final List<String> CALLING_SERVICES =
      List.of("shard-router", "order-service", "payment-service");

  /** The property a calling service's private key is given as. */
  public static final String SIGNING_KEY = "faultline.service.signing-key";

  private ServiceSecrets() {}

  /** Every key of a suite kept in {@code dir}, made on first use (see {@link SuiteKeys}). */
  public static SuiteKeys keys(Path dir) throws IOException {
    return SuiteKeys.loadOrCreate(dir, CALLING_SERVICES);
  }

  /** The secrets of {@code module} ({@code order-service}, …); empty for one that needs none. */
  public static Map<String, String> forService(
      String module, SuiteKeys keys, PostgresCredentials credentials) {
    Map<String, String> secrets = new LinkedHashMap<>();
    switch (module) {
      case "gateway", "lock-service" -> {} // verify tokens with the public keys only
      case "shard-router" -> {
        secrets.put("faultline.shards.password", credentials.appPassword());
        // Promotion and synchronous_standby_names need PostgreSQL's administrator.
        secrets.put("faultline.router.admin-password", credentials.superuserPassword());
        // The router repairs shards only under a lock-service lease, taken as itself.
        secrets.put(SIGNING_KEY, keys.of(module).privatePem());
      }
      case "order-service", "payment-service" -> {
        secrets.put("faultline.shards.password", credentials.appPassword());
        // Services call each other (the saga calls payments; payments take account leases) with
        // tokens naming themselves, so callees grant each only its own rights and their keys and
        // logs see who called.
        secrets.put(SIGNING_KEY, keys.of(module).privatePem());
      }
      default -> throw new IllegalArgumentException("not a service of the suite: " + module);
    }
    return secrets;
  }

  /** {@code faultline.router.admin-password} → {@code FAULTLINE_ROUTER_ADMIN_PASSWORD}. */
  public static String environmentName(String property) {
    return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
