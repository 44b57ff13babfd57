package dev.faultline.cluster.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.SuiteKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.postgres.PostgresCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Where the local suite keeps its state: {@code .suite/} in the repository root unless {@code
 * SUITE_HOME} says otherwise. Keys and passwords are generated here on first use and never leave it
 * (the folder is git-ignored).
 */
public record SuiteHome(Path root, Path repo) {

  public static SuiteHome locate(Path repo) {
    String env = System.getenv("SUITE_HOME");
    Path root = env == null || env.isBlank() ? repo.resolve(".suite") : Path.of(env);
    return new SuiteHome(root.toAbsolutePath(), repo.toAbsolutePath());
  }

  /**
   * The suite of the repository named by the system property {@code suite.repo} (the launchers
   * {@code bin/suite drill} and {@code bin/bench} set it), else of the working directory.
   */
  public static SuiteHome fromEnvironment() {
    return locate(Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize());
  }

  public Path keys() {
    return root.resolve("keys");
  }

  public Path publicKey() {
    return keys().resolve(SigningKeys.PUBLIC_FILE);
  }

  public Path pidFile(String name) {
    return root.resolve("run").resolve(name + ".pid");
  }

  public Path serviceLog(String name) {
    return root.resolve("logs").resolve(name + ".log");
  }

  public Path zooKeeper() {
    return root.resolve("zk");
  }

  public Path postgres(String name) {
    return root.resolve("pg").resolve(name);
  }

  /** The drill's reports. */
  public Path drills() {
    return root.resolve("drills");
  }

  /** The suite's key pair, made on first use ({@code bin/suite up}) with the services' pairs. */
  public SigningKeys signingKeys() throws IOException {
    return suiteKeys().suite();
  }

  /** Every key: the suite's and each calling service's, made on first use. */
  public SuiteKeys suiteKeys() throws IOException {
    return dev.faultline.cluster.secrets.ServiceSecrets.keys(keys());
  }

  /** The database passwords, made on first use ({@code bin/suite up}). */
  public PostgresCredentials postgresCredentials() throws IOException {
    return PostgresCredentials.loadOrCreate(postgresSecrets());
  }

  private Path postgresSecrets() {
    return root.resolve("secrets").resolve("postgres.properties");
  }

  /**
   * A token signed with the running suite's key, as {@code bin/suite token} mints it; an error, not
   * a new key nobody trusts, when no suite was brought up here.
   */
  public String token(String subject, boolean admin, Duration ttl) throws IOException {
    if (!Files.exists(keys().resolve(SigningKeys.PRIVATE_FILE))) {
      throw new IOException("no suite under " + root + ": run bin/suite up first");
    }
    return new TokenMinter(SigningKeys.read(keys()), Clock.systemUTC())
        .mint(admin ? TokenRequest.admin(subject, ttl) : TokenRequest.customer(subject, ttl));
  }

  /** The running suite's database passwords; an error when no suite was brought up here. */
  public PostgresCredentials existingPostgresCredentials() throws IOException {
    if (!Files.exists(postgresSecrets())) {
      throw new IOException("no database credentials under " + root + ": run bin/suite up first");
    }
    return postgresCredentials();
  }

  /** Prometheus's configuration, data and log ({@code up --monitoring}). */
  public Path prometheus() {
    return root.resolve("prometheus");
  }

  /** Present once {@code up --monitoring} ran: from then on Prometheus is one of the suite's. */
  public Path monitoringMarker() {
    return root.resolve("monitoring.enabled");
  }

  public boolean monitoring() {
    return Files.exists(monitoringMarker());
  }

  public Path jar(String module) {
    return repo.resolve(module).resolve("target").resolve(module + ".jar");
  }

  public void create() throws IOException {
    Files.createDirectories(root);
  }
}
