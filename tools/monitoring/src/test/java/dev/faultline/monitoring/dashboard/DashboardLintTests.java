package dev.faultline.monitoring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every dashboard follows grafana/dashboard-linter's rules (exceptions in .lint, with reasons). */
class DashboardLintTests {
  static final Path REPO = Path.of(System.getProperty("suite.repo", "../..")).toAbsolutePath();

  @Test
  void everyDashboardIsLintClean() throws Exception {
    List<Dashboard> dashboards = Dashboard.all(REPO);
    assertThat(dashboards)
        .extracting(Dashboard::file)
        .containsExactlyInAnyOrder(
            "slo-overview.json",
            "services.json",
            "shards.json",
            "locks.json",
            "sagas.json",
            "jvm.json");
    Lint lint = Lint.forFolder(REPO.resolve(Dashboard.FOLDER));
    for (Dashboard dashboard : dashboards) {
      assertThat(lint.check(dashboard)).as(dashboard.file()).isEmpty();
      assertThat(dashboard.uid()).startsWith("faultline-");
    }
  }

  @Test
  void theRulesCatchWhatTheyAreFor(@TempDir Path dir) throws Exception {
    Path good = REPO.resolve(Dashboard.FOLDER).resolve("jvm.json");
    String json = Files.readString(good);
    String broken =
        json.replace("\"unit\": \"bytes\"", "\"unit\": \"\"")
            .replace(
                "\"description\": \"Heap in use per instance, all pools.\"",
                "\"description\": \"\"")
            .replace("[$__rate_interval]", "[5m]")
            .replace("{area=\\\"nonheap\\\",job=~\\\"$job\\\",", "{area=\\\"nonheap\\\",")
            .replace("\"allValue\": \".+\"", "\"allValue\": \".*\"");
    assertThat(broken).isNotEqualTo(json);
    Path file = dir.resolve("jvm.json");
    Files.writeString(file, broken);
    List<Lint.Violation> found = Lint.forFolder(dir).check(Dashboard.read(file));
    assertThat(found)
        .extracting(Lint.Violation::rule)
        .contains(
            "panel-units-rule",
            "panel-title-description-rule",
            "target-rate-interval-rule",
            "target-job-rule",
            "template-job-rule",
            "template-instance-rule");
  }

  @Test
  void selectorsAreTheMetricsNotTheFunctionsOrLabelLists() {
    assertThat(
            PromQl.selectors(
                "histogram_quantile(0.99, sum by (le, routeId) (rate(x_bucket{job=~\"$job\"}[5m])))"
                    + " / on (slo) group_left slo:budget{slo=~\"a\"} > bool 1e-9 or vector(0)"))
        .containsExactly(
            new PromQl.Selector("x_bucket", "job=~\"$job\""),
            new PromQl.Selector("slo:budget", "slo=~\"a\""));
    assertThat(PromQl.ranges("rate(a[$__rate_interval]) + increase(b{c=\"[x]\"}[$__range])"))
        .containsExactly("$__rate_interval", "$__range");
  }
}
