package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** Finding a finished drill's folder among those under a suite's home. */
final class Drills {
  private Drills() {}

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
