package dev.faultline.cluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers which process runs under a name across invocations of the launcher. It stores the pid
 * with the process's start time: pids are reused, and killing a stranger that inherited a dead
 * process's pid is the classic bug of pid files.
 */
public record PidFile(Path path) {

  public void write(ProcessHandle process) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    Instant started = process.info().startInstant().orElse(Instant.EPOCH);
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.writeString(tmp, process.pid() + " " + started.toEpochMilli() + "\n");
    Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The live process recorded here, if it is still the same process. */
  public Optional<ProcessHandle> live() {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(path).trim().split("\\s+");
      long pid = Long.parseLong(parts[0]);
      long startedMillis = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> sameStart(p, startedMillis));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable or half-written: treat as "nothing running"
    }
  }

  public void delete() throws IOException {
    Files.deleteIfExists(path);
  }

  private static boolean sameStart(ProcessHandle process, long startedMillis) {
    if (startedMillis == 0) {
      return true;
    }
    // The kernel reports start times in clock ticks: allow a little rounding.
    return process
        .info()
        .startInstant()
        .map(s -> Math.abs(s.toEpochMilli() - startedMillis) < 1_000)
        .orElse(true);
  }
}
