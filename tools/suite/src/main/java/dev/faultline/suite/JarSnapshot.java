package dev.faultline.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The copy of a service's jar that its processes run from, in the suite's home. A JVM reads its jar
 * lazily, class by class, for as long as it runs: launched from {@code target/}, a service breaks
 * with {@code NoClassDefFoundError} the moment {@code ./mvnw verify} (or any package) rewrites the
 * jar under it, which a developer with the suite up does all day. Each build gets a copy of its
 * own, named by the jar's size and time, so a rebuild never touches what runs, and a process
 * started after it runs the new build while the others keep theirs.
 */
final class JarSnapshot {
  private JarSnapshot() {}

  /** The snapshot of {@code jar} under {@code dir}, copied there first if this build has none. */
  static Path of(Path jar, Path dir) throws IOException {
    String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path snapshot =
        dir.resolve(
            name
                + "-"
                + Files.getLastModifiedTime(jar).toMillis()
                + "-"
                + Files.size(jar)
                + ".jar");
    if (Files.exists(snapshot)) {
      return snapshot;
    }
    Files.createDirectories(dir);
    // Copied aside and moved into place in one step: a process started meanwhile (the suite
    // starts services in parallel) never sees half a jar.
    Path partial = Files.createTempFile(dir, name, ".partial");
    try {
      Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, snapshot, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return snapshot;
  }
}
