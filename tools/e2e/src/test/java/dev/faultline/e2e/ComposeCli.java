package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Docker Compose the way a user types it in the repository: {@code docker compose} (v2) where
 * the plugin is installed, else {@code docker-compose} (1.29, Debian's), with the test's stack name
 * and published ports in the environment.
 */
final class ComposeCli {
  private final List<String> program;
  private final Path repo;
  private final Map<String, String> environment;

  private ComposeCli(List<String> program, Path repo, Map<String, String> environment) {
    this.program = program;
    this.repo = repo;
    this.environment = Map.copyOf(environment);
  }

  /** The compose command this machine has, if any. */
  static Optional<ComposeCli> detect(Path repo, Map<String, String> environment) {
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      try {
        List<String> version = new ArrayList<>(candidate);
        version.add("version");
        Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(new ComposeCli(candidate, repo, environment));
        }
      } catch (IOException e) {
        // not installed: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  String program() {
    return String.join(" ", program);
  }

  SuiteCli.Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(program);
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
      throw new IOException(program() + " " + String.join(" ", args) + " timed out: " + output);
    }
    reader.join(5_000);
    return new SuiteCli.Result(process.exitValue(), output.toString());
  }

  String ok(Duration timeout, String... args) throws IOException, InterruptedException {
    SuiteCli.Result result = run(timeout, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          program()
              + " "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result.output();
  }
}
