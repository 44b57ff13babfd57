package dev.faultline.e2e;

import dev.faultline.cluster.process.Commands;
import dev.faultline.cluster.process.Commands.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command run the way a user types it in the repository: {@code bin/suite} with the test's
 * SUITE_HOME and port offset, or Docker Compose ({@code docker compose} v2 where the plugin is
 * installed, else Debian's {@code docker-compose} 1.29), with any further environment such as a
 * compose stack's name and ports.
 */
final class Cli {
  private final List<String> program;
  private final Path repo;
  private final Map<String, String> environment;

  private Cli(List<String> program, Path repo, Map<String, String> environment) {
    this.program = List.copyOf(program);
    this.repo = repo;
    this.environment = Map.copyOf(environment);
  }

  static Cli suite(Path repo) {
    return suite(repo, Map.of());
  }

  static Cli suite(Path repo, Map<String, String> environment) {
    return new Cli(List.of(repo.resolve("bin/suite").toString()), repo, environment);
  }

  /** The compose command this machine has, if any. */
  static Optional<Cli> compose(Path repo, Map<String, String> environment) {
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      try {
        if (new Cli(candidate, repo, Map.of()).run(Duration.ofSeconds(30), "version").exitCode()
            == 0) {
          return Optional.of(new Cli(candidate, repo, environment));
        }
      } catch (IOException e) {
        // not installed: try the next
      }
    }
    return Optional.empty();
  }

  String program() {
    return String.join(" ", program);
  }

  Result run(Duration timeout, String... args) throws IOException {
    List<String> command = new ArrayList<>(program);
    command.addAll(List.of(args));
    return Commands.run(command, repo, environment, timeout);
  }

  String ok(Duration timeout, String... args) throws IOException, InterruptedException {
    Result result = run(timeout, args);
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
