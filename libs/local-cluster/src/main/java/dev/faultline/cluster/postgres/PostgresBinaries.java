package dev.faultline.cluster.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the PostgreSQL server programs are: {@code PG_BIN}, else the newest Debian install. */
public record PostgresBinaries(Path dir) {

  public static PostgresBinaries locate() {
    String fromEnv = System.getenv("PG_BIN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new PostgresBinaries(Path.of(fromEnv));
    }
    return debianInstall()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "PostgreSQL server binaries not found: install postgresql (Debian) or set"
                        + " PG_BIN to the folder holding initdb, postgres and pg_basebackup"));
  }

  private static Optional<PostgresBinaries> debianInstall() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
          .max(Comparator.comparingInt(PostgresBinaries::major))
          .map(v -> new PostgresBinaries(v.resolve("bin")));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static int major(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public String program(String name) {
    return dir.resolve(name).toString();
  }
}
