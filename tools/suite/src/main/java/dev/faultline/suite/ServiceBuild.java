package dev.faultline.suite;

import dev.faultline.cluster.process.LogTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One build of a service as its processes run it: the jar's snapshot ({@link JarSnapshot})
 * extracted into Spring Boot's launch layout (the application jar, {@code lib/} beside it), and a
 * class-data-sharing archive of the classes it loads until it is ready.
 *
 * <p>Why: the suite starts nine Spring Boot JVMs on two cores, and most of their start is loading,
 * verifying and linking the same twenty thousand classes every time. A dynamic CDS archive maps
 * them in ready-made (a service starts in about half the time). CDS reads classes only from plain
 * jars on the class path, never from the jars nested in a fat jar, hence the extraction.
 *
 * <p>The archive is made once per build and JDK, from a live process: the first process of a build
 * starts with {@code -XX:+RecordDynamicDumpInfo}, and once it is ready {@code jcmd VM.cds
 * dynamic_dump} writes what it loaded (a pause of a second or two, once). Every later start maps
 * it. An archive the JVM finds unusable (another JDK build) is ignored by the JVM with a warning,
 * never fatal, and its name carries the JDK's identity so a JDK change makes a new one.
 */
record ServiceBuild(Path jar, Path archive, Path jcmd) {
  /** The build of {@code jar} for the JDK whose launcher is {@code java}, extracted if needed. */
  static ServiceBuild of(Path jar, Path dir, String java) throws IOException {
    Path snapshot = JarSnapshot.of(jar, dir);
    Path extracted = dir.resolve(snapshot.getFileName().toString().replaceFirst("\\.jar$", ""));
    if (!Files.isDirectory(extracted)) {
      extract(java, snapshot, extracted);
    }
    Path javaBin = Path.of(java).toAbsolutePath();
    return new ServiceBuild(
        extracted.resolve(snapshot.getFileName()),
        extracted.resolve("cds").resolve(jdkIdentity(javaBin) + ".jsa"),
        javaBin.resolveSibling("jcmd"));
  }

  /**
   * Spring Boot's own extraction ({@code -Djarmode=tools extract}), into a directory beside it that
   * is moved into place in one step: a process started meanwhile never sees half of it.
   */
  private static void extract(String java, Path snapshot, Path extracted) throws IOException {
    Path partial = Files.createTempDirectory(extracted.getParent(), ".extracting-");
    try {
      Path log = partial.resolve("extract.log");
      Process process =
          new ProcessBuilder(
                  java,
                  "-Djarmode=tools",
                  "-jar",
                  snapshot.toString(),
                  "extract",
                  "--destination",
                  partial.resolve("app").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            "cannot extract " + snapshot + "; the extraction printed:" + LogTail.of(log, 20));
      }
      try {
        Files.move(partial.resolve("app"), extracted, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException raced) {
        // Another start of the same build extracted it first: theirs is as good.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while extracting " + snapshot, e);
    } finally {
      Suite.deleteTree(partial);
    }
  }

  /** The JVM flags of a start: map the archive, or record what is needed to make one. */
  List<String> jvmFlags() {
    return archived()
        ? List.of("-XX:SharedArchiveFile=" + archive)
        // Quiet: while recording, CDS lists every class it will not archive (multi-release
        // variants among them), which is noise in a service's log.
        : List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=off");
  }

  boolean archived() {
    return Files.exists(archive);
  }

  /**
   * Makes the archive from a process started with {@link #jvmFlags()} before there was one, now
   * that it is ready; written aside and moved into place, so a start never maps half an archive.
   * False when it could not be made (no {@code jcmd} in this JDK, the process gone): the build runs
   * without one, as before.
   */
  boolean archiveFrom(ProcessHandle process) throws IOException, InterruptedException {
    if (archived() || !Files.isExecutable(jcmd) || !process.isAlive()) {
      return archived();
    }
    Files.createDirectories(archive.getParent());
    Path partial = archive.resolveSibling(archive.getFileName() + "." + process.pid() + ".partial");
    Path log = archive.resolveSibling("dump-" + process.pid() + ".log");
    try {
      Process dump =
          new ProcessBuilder(
                  jcmd.toString(),
                  Long.toString(process.pid()),
                  "VM.cds",
                  "dynamic_dump",
                  partial.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!dump.waitFor(2, TimeUnit.MINUTES) || dump.exitValue() != 0 || !Files.exists(partial)) {
        dump.destroyForcibly();
        return false;
      }
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } finally {
      Files.deleteIfExists(partial);
      Files.deleteIfExists(log);
    }
  }

  /**
   * Names the JDK: a hash of its {@code release} file (vendor, version, build) and its path; an
   * archive is only valid for the JDK build that made it.
   */
  static String jdkIdentity(Path javaBin) throws IOException {
    Path home = javaBin.toRealPath().getParent().getParent();
    Path release = home.resolve("release");
    byte[] content =
        (home + "\n" + (Files.exists(release) ? Files.readString(release) : ""))
            .getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(content);
    return "jdk-" + HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
