package dev.faultline.entrypoints.secrets;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.SuiteKeys;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.secrets.ServiceSecrets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The one-shot job that gives a container stack its secrets on first start, generated where they
 * are used and never committed: the token signing key pair, the PostgreSQL roles' passwords, and
 * per audience only what that audience needs, in a folder of its own (one volume each, so a
 * container mounts its own secrets and no one else's):
 *
 * <pre>
 * ROOT/signing/              jwt-private.pem, jwt-public.pem   (this job and token minting only)
 * ROOT/signing/services/&lt;service&gt;/  the calling services' own key pairs
 * ROOT/postgres/             postgres.properties               (the PostgreSQL nodes)
 * ROOT/&lt;service&gt;/jwt-public.pem                              (every service: the keys it trusts)
 * ROOT/&lt;service&gt;/config/&lt;property&gt;                          (a Spring config tree: passwords, its own key)
 * ROOT/grafana/admin-password                             (Grafana's administrator, if it runs)
 * </pre>
 *
 * Keys and passwords are kept once made (the job runs at every start). A calling service gets the
 * private half of its own key pair and mints its own short-lived tokens; none gets the suite's.
 */
public record SecretsJob(Path root, Clock clock, PrintStream out) {
  /** The services' user in their images, and PostgreSQL's in its image (the official one's). */
  public static final int SERVICE_UID = 10001;

  public static final int POSTGRES_UID = 999;

  /** Grafana's user in its official image. */
  public static final int GRAFANA_UID = 472;

  static final List<String> SERVICES =
      List.of("gateway", "lock-service", "shard-router", "order-service", "payment-service");

  public void run() throws IOException {
    boolean fresh = !Files.exists(root.resolve("signing").resolve(SigningKeys.PRIVATE_FILE));
    SuiteKeys keys = ServiceSecrets.keys(root.resolve("signing"));
    Path postgres = root.resolve("postgres");
    Files.createDirectories(postgres);
    PostgresCredentials credentials =
        PostgresCredentials.loadOrCreate(postgres.resolve("postgres.properties"));
    own(postgres, POSTGRES_UID);
    for (String service : SERVICES) {
      Path dir = root.resolve(service);
      Path config = dir.resolve("config");
      Files.createDirectories(config);
      Files.copy(
          root.resolve("signing").resolve(SigningKeys.PUBLIC_FILE),
          dir.resolve(SigningKeys.PUBLIC_FILE),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Map<String, String> secrets = ServiceSecrets.forService(service, keys, credentials);
      for (var secret : secrets.entrySet()) {
        writePrivate(config.resolve(secret.getKey()), secret.getValue());
      }
      own(dir, SERVICE_UID);
    }
    Path grafana = root.resolve("grafana");
    Files.createDirectories(grafana);
    if (!Files.exists(grafana.resolve("admin-password"))) {
      byte[] random = new byte[18];
      new java.security.SecureRandom().nextBytes(random);
      writePrivate(grafana.resolve("admin-password"), java.util.HexFormat.of().formatHex(random));
    }
    own(grafana, GRAFANA_UID);
    out.println(
        "secrets: "
            + (fresh ? "generated" : "kept")
            + " the signing keys (the suite's, and one per calling service) and database"
            + " passwords; secrets handed to "
            + String.join(", ", SERVICES));
  }

  /** Owner-only from its creation; no trailing newline (a config tree value is the whole file). */
  private static void writePrivate(Path file, String value) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value);
  }

  /** Hands a folder to the user its audience runs as; only root may (the job runs as root). */
  private static void own(Path dir, int uid) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return; // a test, or a user running it by hand: the files stay theirs
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", uid);
      }
    }
  }
}
