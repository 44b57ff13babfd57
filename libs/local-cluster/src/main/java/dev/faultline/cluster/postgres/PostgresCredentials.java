package dev.faultline.cluster.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The three roles of every node, each with its own password: the superuser (administration,
 * pg_rewind), the application role that owns the {@value #DATABASE} database, and the replication
 * role that standbys connect as.
 */
public record PostgresCredentials(
    String superuserPassword, String appPassword, String replicationPassword) {
  public static final String SUPERUSER = "postgres";
  public static final String APP_USER = "faultline";
  public static final String REPLICATION_USER = "replicator";
  public static final String DATABASE = "faultline";

  public static PostgresCredentials random() {
    return new PostgresCredentials(secret(), secret(), secret());
  }

  /** Reads the file, or creates it owner-only with fresh passwords. */
  public static PostgresCredentials loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      try (var in = Files.newBufferedReader(file)) {
        return read(in);
      }
    }
    PostgresCredentials created = random();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        file,
        "superuser.password="
            + created.superuserPassword
            + "\napp.password="
            + created.appPassword
            + "\nreplication.password="
            + created.replicationPassword
            + "\n");
    return created;
  }

  /** Reads the file's contents (a container's copy, read through {@code docker exec}). */
  public static PostgresCredentials read(java.io.Reader in) throws IOException {
    Properties props = new Properties();
    props.load(in);
    return new PostgresCredentials(
        props.getProperty("superuser.password"),
        props.getProperty("app.password"),
        props.getProperty("replication.password"));
  }

  private static String secret() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public String toString() {
    return "PostgresCredentials[redacted]"; // keeps passwords out of logs and assertion messages
  }
}
