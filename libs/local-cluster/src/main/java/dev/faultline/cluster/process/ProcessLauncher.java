package dev.faultline.cluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts processes detached from the caller, the way a pod outlives the kubectl that created it:
 * each runs in its own session ({@code setsid}), so it survives the launcher and a terminal
 * hang-up, and it writes to its own log file rather than to a pipe nobody drains.
 */
public final class ProcessLauncher {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private ProcessLauncher() {}

  public static ProcessHandle launch(LaunchSpec spec) throws IOException {
    Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      // The child of a fork is never a process-group leader, so setsid execs in place: the pid we
      // get back is the pid of the real program, which is what kill and status act on.
      command.add(SETSID.toString());
    }
    command.addAll(spec.command());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(spec.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(spec.environment());
    return builder.start().toHandle();
  }
}
