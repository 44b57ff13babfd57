package dev.faultline.monitoring.slo;

import dev.faultline.monitoring.kubernetes.KubernetesMonitoring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files generated from {@code monitoring/slo.yaml}. {@code main} writes them ({@code
 * tools/monitoring/regenerate}); the build's test fails while the committed ones differ.
 */
public final class Generated {
  public static final String RULES = "monitoring/prometheus/rules";
  public static final String TESTS = "monitoring/prometheus/tests";
  public static final String DASHBOARDS = "monitoring/grafana/dashboards";

  private Generated() {}

  /** Every rule file Prometheus loads: the generated SLO ones and the component alerts. */
  public static List<Path> ruleFiles(Path repo) throws IOException {
    try (var listing = Files.list(repo.resolve(RULES))) {
      return listing.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  public static String ruleFile(Slo slo) {
    return "slo-" + slo.name() + ".yml";
  }

  public static String testFile(Slo slo) {
    return "slo-" + slo.name() + ".test.yml";
  }

  /** Path (relative to the repository) to content. */
  public static Map<String, String> files(SloFile slos) {
    Map<String, String> files = new LinkedHashMap<>();
    for (Slo slo : slos.slos()) {
      files.put(RULES + "/" + ruleFile(slo), RuleFile.render(slos, slo));
      files.put(TESTS + "/" + testFile(slo), TestFile.render(slos, slo));
    }
    return files;
  }

  /**
   * Every generated file: the SLOs' rules and tests, and the cluster's copies of all rules and
   * dashboards ({@link KubernetesMonitoring}), made from the rules as generated now.
   */
  static Map<String, String> everything(Path repo) throws IOException {
    Map<String, String> files = files(SloFile.of(repo));
    SortedMap<String, String> rules = new TreeMap<>();
    for (Path file : ruleFiles(repo)) {
      String generated = files.get(RULES + "/" + file.getFileName());
      rules.put(
          file.getFileName().toString(), generated != null ? generated : Files.readString(file));
    }
    for (var file : files.entrySet()) {
      if (file.getKey().startsWith(RULES + "/")) {
        rules.putIfAbsent(file.getKey().substring(RULES.length() + 1), file.getValue());
      }
    }
    SortedMap<String, String> dashboards = new TreeMap<>();
    try (var listing = Files.list(repo.resolve(DASHBOARDS))) {
      for (Path file : listing.filter(p -> p.toString().endsWith(".json")).toList()) {
        dashboards.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    files.putAll(KubernetesMonitoring.files(rules, dashboards));
    return files;
  }

  /**
   * The generated files whose committed content differs or is missing, and committed {@code slo-*}
   * files that slo.yaml no longer names.
   */
  public static List<String> stale(Path repo) throws IOException {
    Map<String, String> files = everything(repo);
    List<String> stale = new ArrayList<>();
    for (var file : files.entrySet()) {
      Path path = repo.resolve(file.getKey());
      if (!Files.exists(path) || !Files.readString(path).equals(file.getValue())) {
        stale.add(file.getKey());
      }
    }
    stale.addAll(leftOver(repo, files));
    return stale;
  }

  private static List<String> leftOver(Path repo, Map<String, String> files) throws IOException {
    List<String> left = new ArrayList<>();
    for (String dir : List.of(RULES, TESTS)) {
      if (!Files.isDirectory(repo.resolve(dir))) {
        continue;
      }
      try (var listing = Files.list(repo.resolve(dir))) {
        listing
            .map(p -> dir + "/" + p.getFileName())
            .filter(p -> p.substring(dir.length() + 1).startsWith("slo-"))
            .filter(p -> !files.containsKey(p))
            .sorted()
            .forEach(left::add);
      }
    }
    return left;
  }

  public static void main(String[] args) throws IOException {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Map<String, String> files = everything(repo);
    for (String gone : leftOver(repo, files)) {
      Files.delete(repo.resolve(gone));
      System.out.println("deleted   " + gone);
    }
    for (var file : files.entrySet()) {
      Path path = repo.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      boolean same = Files.exists(path) && Files.readString(path).equals(file.getValue());
      if (!same) {
        Files.writeString(path, file.getValue());
      }
      System.out.println((same ? "unchanged " : "wrote     ") + file.getKey());
    }
  }
}
