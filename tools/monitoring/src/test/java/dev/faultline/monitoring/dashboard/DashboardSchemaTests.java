package dev.faultline.monitoring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboards against Grafana's own schema: {@code monitoring/grafana/schema-check} type-checks
 * each one, and each panel's options, with the types Grafana publishes to npm ({@code
 * @grafana/schema}, pinned in its package-lock.json) and the TypeScript compiler. No Grafana server
 * runs here; this is the schema such a server would load them with. Needs Node.js and npm, and the
 * npm registry the first time ({@code npm ci}).
 */
class DashboardSchemaTests {
  private static final Path CHECK =
      DashboardLintTests.REPO.resolve("monitoring/grafana/schema-check");

  @Test
  void everyDashboardMatchesGrafanasSchema() throws Exception {
    if (!Files.isDirectory(CHECK.resolve("node_modules/@grafana/schema"))
        || !Files.isDirectory(CHECK.resolve("node_modules/typescript"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"));
    }
    String out = run(List.of("node", "check.mjs", "../dashboards"));
    assertThat(out).contains("6 dashboards match Grafana's schema");
  }

  private static String run(List<String> command) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(CHECK.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return fail(
          command.getFirst()
              + " is not installed: the dashboard schema check needs Node.js and npm"
              + " (sudo apt-get install nodejs npm)");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " took over 5 minutes");
    }
    if (process.exitValue() != 0) {
      fail(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
