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
    Found found = new Found(dashboard, new ArrayList<>());
    variables(dashboard, found);
    for (Dashboard.Panel panel : dashboard.panels()) {
      panel(panel, found);
    }
    return found.all().stream().filter(v -> !excluded(v)).toList();
  }

  /** The violations of one dashboard, each added by rule, panel ("" for the dashboard) and text. */
  private record Found(Dashboard dashboard, List<Violation> all) {
    void add(String rule, String panel, String message) {
      all.add(new Violation(rule, dashboard.file(), dashboard.title(), panel, message));
    }
  }

  private void variables(Dashboard dashboard, Found found) {
    var datasource = variable(dashboard, "datasource");
    if (datasource == null
        || !datasource.type().equals("datasource")
        || !datasource.query().equals("prometheus")) {
      found.add(
          "template-datasource-rule",
          "",
          "needs a variable 'datasource' of type datasource, query prometheus");
    }
    for (String name : List.of("job", "instance")) {
      var v = variable(dashboard, name);
      String rule = "template-" + name + "-rule";
      if (v == null) {
        found.add(rule, "", "needs a variable '" + name + "'");
        continue;
      }
      if (!v.label().equals(name)) {
        found.add(rule, "", name + " must be labelled '" + name + "'");
      }
      if (!v.type().equals("query") || !v.query().startsWith("label_values(")) {
        found.add(rule, "", name + " must be a Prometheus label_values query");
      }
      if (!isDatasourceVariable(v.datasource())) {
        found.add(rule, "", name + " must use the $datasource variable");
      }
      if (!v.multi() || !v.allValue().equals(".+")) {
        found.add(rule, "", name + " must be multi-select with allValue .+");
      }
    }
  }

  private void panel(Dashboard.Panel panel, Found found) {
    String where = panel.title();
    if (!isDatasourceVariable(panel.datasource())) {
      found.add("panel-datasource-rule", where, "must use the $datasource variable");
    }
    if (panel.unit().isBlank()) {
      found.add("panel-units-rule", where, "needs a unit");
    }
    if (panel.description().isBlank()) {
      found.add("panel-title-description-rule", where, "needs a description");
    }
    if (panel.targets().isEmpty()) {
      found.add("target-promql-rule", where, "has no query");
    }
    for (Dashboard.Target target : panel.targets()) {
      String query = "query " + target.refId();
      if (!isDatasourceVariable(target.datasource())) {
        found.add("panel-datasource-rule", where, query + " must use the $datasource variable");
      }
      for (String range : PromQl.ranges(target.expr())) {
        if (!range.equals("$__rate_interval")) {
          found.add(
              "target-rate-interval-rule",
              where,
              query + " uses [" + range + "], not [$__rate_interval]");
        }
      }
      for (PromQl.Selector selector : PromQl.selectors(target.expr())) {
        String series = selector.metric() + "{" + selector.matchers() + "}";
        for (String label : List.of("job", "instance")) {
          String matcher = label + "=~\"$" + label + "\"";
          if (!selector.matchers().contains(matcher)) {
            found.add(
                "target-" + label + "-rule", where, query + ": " + series + " lacks " + matcher);
          }
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
