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
      var output = drain(process.getInputStream());
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

  /**
   * Runs a command with its input closed, keeping its two streams apart: its standard output when
   * it exits 0, else an IOException that names the command and carries its error output, as {@code
   * errors} trims it (a CLI's own message, without its log lines).
   */
  public static String output(
      List<String> command, Duration timeout, java.util.function.UnaryOperator<String> errors)
      throws IOException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    var stdout = drain(process.getInputStream());
    var stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took over " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " failed: " + errors.apply(stderr.join().trim()));
      }
      return stdout.join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static java.util.concurrent.CompletableFuture<String> drain(java.io.InputStream in) {
    // Read on its own thread: a command must not block on a full pipe before it exits.
    var text = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (in) {
                text.complete(
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.complete("<unreadable: " + e + ">");
              }
            });
    return text;
  }
}
