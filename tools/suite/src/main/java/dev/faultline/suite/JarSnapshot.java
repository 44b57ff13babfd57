package dev.faultline.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

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
    Path snapshot = dir.resolve(name + "-" + checksum(jar) + ".jar");
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

  /**
   * CRC-32C of the content: fast (a service jar in well under a second), and enough to tell builds
   * apart.
   */
  private static String checksum(Path jar) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(jar)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return String.format("%08x-%d", crc.getValue(), Files.size(jar));
  }
}
