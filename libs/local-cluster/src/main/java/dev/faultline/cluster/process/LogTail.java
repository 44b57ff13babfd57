package dev.faultline.cluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a process log, for error messages that explain a failed start. */
public final class LogTail {
  private LogTail() {}

  public static String of(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "\n(no log at " + log + ")";
    }
  }
}
