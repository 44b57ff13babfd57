package dev.faultline.monitoring.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * grafana/dashboard-linter's rules, applied to every dashboard: a {@code datasource} variable and
 * {@code job} and {@code instance} variables (multi-select, "All" as {@code .+}) that every panel
 * and query uses, {@code job=~"$job"} and {@code instance=~"$instance"} on every series selector,
 * {@code $__rate_interval} in every range, and a unit and a description on every panel. Exceptions
 * are listed, with reasons, in the folder's {@code .lint} file, in dashboard-linter's format.
 */
public final class Lint {
  /** A broken rule: which, where, and what is wrong. */
  public record Violation(
      String rule, String dashboard, String title, String panel, String message) {
    @Override
    public String toString() {
      return dashboard + (panel.isEmpty() ? "" : " / " + panel) + ": " + rule + ": " + message;
    }
  }

  private final Map<String, List<Map<String, Object>>> exclusions;

  private Lint(Map<String, List<Map<String, Object>>> exclusions) {
    this.exclusions = exclusions;
  }

  /** With the exclusions of {@code .lint} in the dashboards' folder, if there is one. */
  @SuppressWarnings("unchecked")
  public static Lint forFolder(Path folder) throws IOException {
    Path file = folder.resolve(".lint");
    Map<String, List<Map<String, Object>>> exclusions = new java.util.HashMap<>();
    if (Files.exists(file)) {
      Map<String, Object> root =
          new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
      Map<String, Object> rules = (Map<String, Object>) root.getOrDefault("exclusions", Map.of());
      rules.forEach(
          (rule, value) -> {
            Map<String, Object> exclusion = (Map<String, Object>) value;
            if (!(exclusion.get("reason") instanceof String reason) || reason.isBlank()) {
              throw new IllegalArgumentException(
                  ".lint: the exclusion of " + rule + " needs a reason");
            }
            exclusions.put(
                rule, (List<Map<String, Object>>) exclusion.getOrDefault("entries", List.of()));
          });
    }
    return new Lint(exclusions);
  }

  public List<Violation> check(Dashboard dashboard) {
    List<Violation> found = new ArrayList<>();
    variables(dashboard, found);
    for (Dashboard.Panel panel : dashboard.panels()) {
      panel(dashboard, panel, found);
    }
    return found.stream().filter(v -> !excluded(v)).toList();
  }

  private void variables(Dashboard dashboard, List<Violation> found) {
    var datasource = variable(dashboard, "datasource");
    if (datasource == null
        || !datasource.type().equals("datasource")
        || !datasource.query().equals("prometheus")) {
      found.add(
          new Violation(
              "template-datasource-rule",
              dashboard.file(),
              dashboard.title(),
              "",
              "needs a variable 'datasource' of type datasource, query prometheus"));
    }
    for (String name : List.of("job", "instance")) {
      var v = variable(dashboard, name);
      String rule = "template-" + name + "-rule";
      if (v == null) {
        found.add(
            new Violation(
                rule, dashboard.file(), dashboard.title(), "", "needs a variable '" + name + "'"));
        continue;
      }
      if (!v.label().equals(name)) {
        found.add(
            new Violation(
                rule,
                dashboard.file(),
                dashboard.title(),
                "",
                name + " must be labelled '" + name + "'"));
      }
      if (!v.type().equals("query") || !v.query().startsWith("label_values(")) {
        found.add(
            new Violation(
                rule,
                dashboard.file(),
                dashboard.title(),
                "",
                name + " must be a Prometheus label_values query"));
      }
      if (!isDatasourceVariable(v.datasource())) {
        found.add(
            new Violation(
                rule,
                dashboard.file(),
                dashboard.title(),
                "",
                name + " must use the $datasource variable"));
      }
      if (!v.multi() || !v.allValue().equals(".+")) {
        found.add(
            new Violation(
                rule,
                dashboard.file(),
                dashboard.title(),
                "",
                name + " must be multi-select with allValue .+"));
      }
    }
  }

  private void panel(Dashboard dashboard, Dashboard.Panel panel, List<Violation> found) {
    String where = panel.title();
    if (!isDatasourceVariable(panel.datasource())) {
      found.add(
          new Violation(
              "panel-datasource-rule",
              dashboard.file(),
              dashboard.title(),
              where,
              "must use the $datasource variable"));
    }
    if (panel.unit().isBlank()) {
      found.add(
          new Violation(
              "panel-units-rule", dashboard.file(), dashboard.title(), where, "needs a unit"));
    }
    if (panel.description().isBlank()) {
      found.add(
          new Violation(
              "panel-title-description-rule",
              dashboard.file(),
              dashboard.title(),
              where,
              "needs a description"));
    }
    if (panel.targets().isEmpty()) {
      found.add(
          new Violation(
              "target-promql-rule", dashboard.file(), dashboard.title(), where, "has no query"));
    }
    for (Dashboard.Target target : panel.targets()) {
      if (!isDatasourceVariable(target.datasource())) {
        found.add(
            new Violation(
                "panel-datasource-rule",
                dashboard.file(),
                dashboard.title(),
                where,
                "query " + target.refId() + " must use the $datasource variable"));
      }
      for (String range : PromQl.ranges(target.expr())) {
        if (!range.equals("$__rate_interval")) {
          found.add(
              new Violation(
                  "target-rate-interval-rule",
                  dashboard.file(),
                  dashboard.title(),
                  where,
                  "query " + target.refId() + " uses [" + range + "], not [$__rate_interval]"));
        }
      }
      for (PromQl.Selector selector : PromQl.selectors(target.expr())) {
        String series = selector.metric() + "{" + selector.matchers() + "}";
        if (!selector.matchers().contains("job=~\"$job\"")) {
          found.add(
              new Violation(
                  "target-job-rule",
                  dashboard.file(),
                  dashboard.title(),
                  where,
                  "query " + target.refId() + ": " + series + " lacks job=~\"$job\""));
        }
        if (!selector.matchers().contains("instance=~\"$instance\"")) {
          found.add(
              new Violation(
                  "target-instance-rule",
                  dashboard.file(),
                  dashboard.title(),
                  where,
                  "query " + target.refId() + ": " + series + " lacks instance=~\"$instance\""));
        }
      }
    }
  }

  /** dashboard-linter's exclusion: a rule everywhere, or only for the listed dashboards/panels. */
  private boolean excluded(Violation violation) {
    List<Map<String, Object>> entries = exclusions.get(violation.rule());
    if (entries == null) {
      return false;
    }
    if (entries.isEmpty()) {
      return true;
    }
    for (Map<String, Object> entry : entries) {
      Object dashboard = entry.get("dashboard");
      Object panel = entry.get("panel");
      boolean dashboardMatches =
          dashboard == null
              || dashboard.equals(violation.dashboard())
              || dashboard.equals(violation.title());
      boolean panelMatches = panel == null || panel.equals(violation.panel());
      if (dashboardMatches && panelMatches) {
        return true;
      }
    }
    return false;
  }

  private static Dashboard.Variable variable(Dashboard dashboard, String name) {
    return dashboard.variables().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static boolean isDatasourceVariable(String uid) {
    return uid.equals("$datasource") || uid.equals("${datasource}");
  }
}
