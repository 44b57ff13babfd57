package dev.faultline.drill.suite;

import java.net.URI;
import java.nio.file.Path;

/**
 * What a deployment is known by: its {@code --target} name, its gateway, its Prometheus, and where
 * drills write their history and reports.
 */
public record Endpoints(String target, URI gateway, URI prometheus, Path drills) {

  /** An environment variable's trimmed value, or {@code otherwise} when it is unset or blank. */
  static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value.trim();
  }

  /** The repository the drill runs in ({@code suite.repo}, default the working directory). */
  static Path repo() {
    return Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
  }

  /** Where reports go for the containerised targets: the local suite's {@code SUITE_HOME}. */
  static Path drillsUnderSuiteHome(Path repo) {
    String home = env("SUITE_HOME", "");
    return (home.isEmpty() ? repo.resolve(".suite") : Path.of(home).toAbsolutePath())
        .resolve("drills");
  }
}
