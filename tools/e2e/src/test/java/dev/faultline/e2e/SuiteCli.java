package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/suite} the way a user types it, with the test's SUITE_HOME and port offset (and
 * any further environment, such as the compose stack's name and ports).
 */
final class SuiteCli {
  record Result(int exitCode, String output) {}

  private final Path repo;
  private final java.util.Map<String, String> environment;

  SuiteCli(Path repo) {
    this(repo, java.util.Map.of());
  }

  SuiteCli(Path repo, java.util.Map<String, String> environment) {
    this.repo = repo;
    this.environment = java.util.Map.copyOf(environment);
  }

  Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("bin/suite").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    var output = new StringBuilder();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    output.append(new String(process.getInputStream().readAllBytes()));
                  } catch (IOException e) {
                    output.append("<unreadable: ").append(e).append('>');
                  }
                });
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException("bin/suite " + String.join(" ", args) + " timed out: " + output);
    }
    reader.join(5_000);
    return new Result(process.exitValue(), output.toString());
  }

  String ok(Duration timeout, String... args) throws IOException, InterruptedException {
    Result result = run(timeout, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "bin/suite "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result.output();
  }
}
