package dev.faultline.cluster.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion (initdb, pg_basebackup, ...) and fails loudly. */
public final class Commands {
  private Commands() {}

  public record Result(int exitCode, String output) {}

  public static Result run(
      List<String> command, Path workDir, Map<String, String> env, Duration timeout)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      // Read on another thread: a chatty command must not block on a full pipe before exiting.
      var output = new java.util.concurrent.CompletableFuture<String>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  output.complete(new String(process.getInputStream().readAllBytes()));
                } catch (IOException e) {
                  output.complete("<output unreadable: " + e + ">");
                }
              });
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted: " + command, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot read the output of " + command, e);
    }
  }

  public static String check(
      List<String> command, Path workDir, Map<String, String> env, Duration timeout)
      throws IOException {
    Result result = run(command, workDir, env, timeout);
    if (result.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }
}
