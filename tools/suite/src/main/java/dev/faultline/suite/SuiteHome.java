package dev.faultline.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.cluster.postgres.PostgresCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local suite keeps its state: {@code .suite/} in the repository root unless {@code
 * SUITE_HOME} says otherwise. Keys and passwords are generated here on first use and never leave it
 * (the folder is git-ignored).
 */
record SuiteHome(Path root, Path repo) {

  static SuiteHome locate(Path repo) {
    String env = System.getenv("SUITE_HOME");
    Path root = env == null || env.isBlank() ? repo.resolve(".suite") : Path.of(env);
    return new SuiteHome(root.toAbsolutePath(), repo.toAbsolutePath());
  }

  Path keys() {
    return root.resolve("keys");
  }

  Path publicKey() {
    return keys().resolve(SigningKeys.PUBLIC_FILE);
  }

  Path pidFile(String name) {
    return root.resolve("run").resolve(name + ".pid");
  }

  Path serviceLog(String name) {
    return root.resolve("logs").resolve(name + ".log");
  }

  Path zooKeeper() {
    return root.resolve("zk");
  }

  Path postgres(String name) {
    return root.resolve("pg").resolve(name);
  }

  SigningKeys signingKeys() throws IOException {
    return SigningKeys.loadOrCreate(keys());
  }

  PostgresCredentials postgresCredentials() throws IOException {
    return PostgresCredentials.loadOrCreate(root.resolve("secrets").resolve("postgres.properties"));
  }

  /** Prometheus's configuration, data and log ({@code up --monitoring}). */
  Path prometheus() {
    return root.resolve("prometheus");
  }

  /** Present once {@code up --monitoring} ran: from then on Prometheus is one of the suite's. */
  Path monitoringMarker() {
    return root.resolve("monitoring.enabled");
  }

  boolean monitoring() {
    return Files.exists(monitoringMarker());
  }

  Path jar(String module) {
    return repo.resolve(module).resolve("target").resolve(module + ".jar");
  }

  void create() throws IOException {
    Files.createDirectories(root);
  }
}
