package dev.faultline.monitoring.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.faultline.monitoring.dashboard.Dashboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own checker on everything under monitoring/prometheus: {@code promtool check rules}
 * on every rule file, {@code promtool check config} on every configuration, and {@code promtool
 * test rules} on every test (the generated SLO ones and the component ones). promtool comes with
 * Debian's {@code prometheus} package, which .ci/run installs.
 */
class PromtoolTests {
  private static final Path PROMETHEUS = GeneratedFilesTests.REPO.resolve("monitoring/prometheus");

  @BeforeAll
  static void promtoolIsInstalled() throws Exception {
    try {
      run(List.of("promtool", "--version"));
    } catch (IOException e) {
      fail(
          "promtool is not installed: it comes with Debian's prometheus package"
              + " (sudo apt-get install prometheus)");
    }
  }

  @Test
  void everyRuleFileIsValidAndLintClean() throws Exception {
    String out = promtoolOnEach(files("rules", ".yml"), "check", "rules");
    assertThat(out).doesNotContain("FAILED").contains("SUCCESS");
  }

  @Test
  void everyConfigurationIsValid() throws Exception {
    for (Path config :
        List.of(PROMETHEUS.resolve("local.yml"), PROMETHEUS.resolve("compose.yml"))) {
      run(List.of("promtool", "check", "config", "--syntax-only", config.toString()));
    }
  }

  @Test
  void everyRuleTestPasses() throws Exception {
    promtoolOnEach(files("tests", ".test.yml"), "test", "rules");
  }

  /** {@code promtool ARGS FILES...} over several files (there must be some); its output. */
  private static String promtoolOnEach(List<Path> files, String... args) throws Exception {
    assertThat(files).hasSizeGreaterThan(1);
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    files.forEach(f -> command.add(f.toString()));
    return run(command);
  }

  /** Every dashboard query parses as PromQL (as a recording rule, which promtool checks). */
  @Test
  void everyDashboardQueryIsValidPromQl(@TempDir Path dir) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    int n = 0;
    for (Dashboard dashboard : Dashboard.all(GeneratedFilesTests.REPO)) {
      for (Dashboard.Panel panel : dashboard.panels()) {
        for (Dashboard.Target target : panel.targets()) {
          String expr = Dashboard.substitute(target.expr(), "1m", "1h");
          rules.append("      - record: dashboard:query").append(n++).append(":check\n");
          rules.append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
      }
    }
    assertThat(n).isGreaterThan(40);
    Path file = dir.resolve("dashboards.yml");
    Files.writeString(file, rules);
    run(List.of("promtool", "check", "rules", file.toString()));
  }

  private static List<Path> files(String dir, String suffix) throws IOException {
    try (Stream<Path> listing = Files.list(PROMETHEUS.resolve(dir))) {
      return listing.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** Runs the command in monitoring/prometheus; its output, or a failure with the output. */
  private static String run(List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(PROMETHEUS.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " took over 5 minutes");
    }
    if (process.exitValue() != 0) {
      fail(String.join(" ", command.subList(0, 3)) + " failed:\n" + out);
    }
    return out;
  }
}
