package dev.faultline.cluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root. When we are root, its programs run as the {@code postgres}
 * user through {@code setpriv}, which execs in place (unlike {@code runuser} or {@code su}, which
 * stay as a parent), so the pid we hold is the server's own.
 */
public final class OsUser {
  public static final String POSTGRES = "postgres";

  private OsUser() {}

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code command}, run as {@code user} when we are root, unchanged otherwise. */
  public static List<String> as(String user, List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add("setpriv");
    wrapped.add("--reuid=" + user);
    wrapped.add("--regid=" + user);
    wrapped.add("--init-groups");
    wrapped.add("--");
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Hands {@code dir} (recursively) to {@code user} when we are root, and makes sure the user can
   * reach it through its parents, which may be private to root.
   */
  public static void handOver(Path dir, String user) throws IOException {
    if (!isRoot()) {
      return;
    }
    run(List.of("chown", "-R", user + ":", dir.toString()));
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (!Files.isDirectory(p)) {
        continue;
      }
      // Only add the search bit: a folder on the way needs to be passable, not readable.
      run(List.of("chmod", "o+x", p.toString()));
    }
  }

  static void run(List<String> command) throws IOException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    }
  }
}
