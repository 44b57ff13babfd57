package dev.faultline.monitoring.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Grafana dashboard of {@code monitoring/grafana/dashboards}, read for what the checks need:
 * its template variables and its panels with their queries.
 */
public record Dashboard(
    String file, String uid, String title, List<Variable> variables, List<Panel> panels) {
  public static final String FOLDER = "monitoring/grafana/dashboards";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A template variable. */
  public record Variable(
      String name,
      String label,
      String type,
      String query,
      String datasource,
      boolean multi,
      String allValue) {}

  /** A panel and the PromQL of its targets. */
  public record Panel(
      int id,
      String title,
      String type,
      String description,
      String unit,
      String datasource,
      List<Target> targets) {}

  /** One query of a panel: its PromQL and the data source it names. */
  public record Target(String refId, String expr, String datasource) {}

  public static List<Dashboard> all(Path repo) throws IOException {
    try (Stream<Path> files = Files.list(repo.resolve(FOLDER))) {
      List<Dashboard> all = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        all.add(read(file));
      }
      return all;
    }
  }

  public static Dashboard read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    List<Variable> variables = new ArrayList<>();
    for (JsonNode v : root.path("templating").path("list")) {
      JsonNode query = v.path("query");
      variables.add(
          new Variable(
              v.path("name").asString(""),
              v.path("label").asString(""),
              v.path("type").asString(""),
              query.isObject() ? query.path("query").asString("") : query.asString(""),
              v.path("datasource").path("uid").asString(""),
              v.path("multi").asBoolean(false),
              v.path("allValue").asString("")));
    }
    List<Panel> panels = new ArrayList<>();
    for (JsonNode p : root.path("panels")) {
      List<Target> targets = new ArrayList<>();
      for (JsonNode t : p.path("targets")) {
        targets.add(
            new Target(
                t.path("refId").asString(""),
                t.path("expr").asString(""),
                t.path("datasource").path("uid").asString("")));
      }
      panels.add(
          new Panel(
              p.path("id").asInt(),
              p.path("title").asString(""),
              p.path("type").asString(""),
              p.path("description").asString(""),
              p.path("fieldConfig").path("defaults").path("unit").asString(""),
              p.path("datasource").path("uid").asString(""),
              List.copyOf(targets)));
    }
    return new Dashboard(
        file.getFileName().toString(),
        root.path("uid").asString(""),
        root.path("title").asString(""),
        List.copyOf(variables),
        List.copyOf(panels));
  }

  /**
   * A query as Grafana would send it with every variable at "All" ({@code .+}) and the given rate
   * interval and range, for running it against a real Prometheus.
   */
  public static String substitute(String expr, String rateInterval, String range) {
    String out = expr.replace("$__rate_interval", rateInterval).replace("$__range", range);
    for (var variable : Map.of("$job", ".+", "$instance", ".+", "$slo", ".+").entrySet()) {
      out = out.replace(variable.getKey(), variable.getValue());
    }
    return out;
  }
}
