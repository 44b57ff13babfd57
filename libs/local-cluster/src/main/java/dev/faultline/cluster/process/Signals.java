package dev.faultline.cluster.process;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Signals by name, and waiting for a process to be gone. */
public final class Signals {
  private Signals() {}

  /** SIGKILL: no clean-up, no goodbye, as when the kernel or kubelet kills a pod. */
  public static void kill(ProcessHandle process) {
    process.destroyForcibly();
  }

  /** Sends a named signal (TERM, INT, STOP, CONT, ...) with the system's kill command. */
  public static void send(ProcessHandle process, String signal) throws IOException {
    try {
      int exit =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start()
              .waitFor();
      if (exit != 0 && process.isAlive()) {
        throw new IOException("kill -" + signal + " " + process.pid() + " exited " + exit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + process.pid(), e);
    }
  }

  /**
   * Sends a named signal to the process and to every process it forked, each by its pid. Not to its
   * process group: PostgreSQL gives every backend a session of its own, so a postmaster's group is
   * the postmaster alone, and a STOP to it would leave its backends, WAL sender and WAL receiver
   * running (a "paused" replica would go on receiving WAL). The parent first, so a STOP leaves it
   * no time to fork another.
   */
  public static void sendToTree(ProcessHandle process, String signal) throws IOException {
    send(process, signal);
    for (ProcessHandle child : process.descendants().toList()) {
      try {
        send(child, signal);
      } catch (IOException gone) {
        // A backend that exited meanwhile: nothing left to signal.
      }
    }
  }

  /** Waits until the process has exited; true when it did within the timeout. */
  public static boolean awaitExit(ProcessHandle process, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (process.isAlive()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.isAlive();
      }
    }
    return true;
  }

  /** SIGTERM, then SIGKILL if the process has not gone within the grace period. */
  public static void stop(ProcessHandle process, String signal, Duration grace) throws IOException {
    if (!process.isAlive()) {
      return;
    }
    send(process, signal);
    if (!awaitExit(process, grace)) {
      kill(process);
      awaitExit(process, Duration.ofSeconds(10));
    }
  }
}
