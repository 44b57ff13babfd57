package dev.faultline.cluster.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one long-running process: its command, working directory, extra environment and the
 * file that collects its output.
 */
public record LaunchSpec(
    String name,
    List<String> command,
    Path workDir,
    Map<String, String> environment,
    Path logFile) {

  public LaunchSpec {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a process needs a command: " + name);
    }
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
