package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.cluster.process.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Finding a finished drill's folder among those under a suite's home, and judging its run. */
final class Drills {
  /**
   * The fault groups of the kinds the issue names: an order-, payment- and lock-service, a primary,
   * a ZooKeeper peer.
   */
  static final List<String> EVERY_KIND =
      List.of("order-service", "payment-service", "lock-service", "pg-primary", "zookeeper");

  private Drills() {}

  /**
   * The drill ended {@code drill: PASS} with exit 0, struck every kind, and its report counts no
   * violation; the report, for more.
   */
  static JsonNode assertPassedStrikingEveryKind(
      Commands.Result drill, Path suiteHome, long seed, String target) throws IOException {
    System.out.println(drill.output());
    // The checks' lines and the violations under them, in the failure itself: CI shows a failing
    // assertion's message, and a drill that found a violation must say which.
    String checks =
        drill
            .output()
            .lines()
            .filter(line -> line.startsWith("drill:   check ") || line.startsWith("drill:       "))
            .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(drill.output().strip().lines().toList().getLast())
        .as("the drill's checks:%n%s", checks)
        .startsWith("drill: PASS");
    assertThat(drill.exitCode()).isZero();
    JsonNode report =
        GatewayCalls.JSON.readTree(find(suiteHome, seed, target).resolve("report.json").toFile());
    Set<String> struck = new HashSet<>();
    report.get("faults").forEach(f -> struck.add(f.get("target").get("group").asString()));
    assertThat(struck).containsAll(EVERY_KIND);
    assertThat(report.get("violations").asInt()).isZero();
    return report;
  }

  /** The drill run with {@code seed} against {@code target} ({@code local}, {@code compose}). */
  static Path find(Path suiteHome, long seed, String target) throws IOException {
    try (var dirs = Files.list(suiteHome.resolve("drills"))) {
      return dirs.filter(d -> d.getFileName().toString().endsWith("-s" + seed))
          .filter(d -> target.equals(target(d)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + target + " drill with seed " + seed));
    }
  }

  private static String target(Path drill) {
    try {
      JsonNode options =
          GatewayCalls.JSON.readTree(drill.resolve("report.json").toFile()).get("options");
      return options.has("target") ? options.get("target").asString() : "local";
    } catch (RuntimeException e) {
      return "unreadable"; // a drill that did not finish
    }
  }
}
