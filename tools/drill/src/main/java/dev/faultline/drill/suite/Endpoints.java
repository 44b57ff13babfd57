package dev.faultline.drill.suite;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * What a deployment is known by: its {@code --target} name, its gateways (a client fails over
 * between them; the first is the contract's), its Prometheus, and where drills write their history
 * and reports.
 */
public record Endpoints(String target, List<URI> gateways, URI prometheus, Path drills) {
  public Endpoints {
    gateways = List.copyOf(gateways);
    if (gateways.isEmpty()) {
      throw new IllegalArgumentException("a deployment has at least one gateway");
    }
  }

  public Endpoints(String target, URI gateway, URI prometheus, Path drills) {
    this(target, List.of(gateway), prometheus, drills);
  }

  /** The first gateway, the contract's. */
  public URI gateway() {
    return gateways.getFirst();
  }

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
