package dev.faultline.monitoring.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.monitoring.slo.Generated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The cluster's PrometheusRule holds exactly the rule groups Prometheus loads locally (the ones
 * promtool tests), and its dashboard ConfigMaps exactly the dashboards' JSON: parsed, not compared
 * as text.
 */
class KubernetesMonitoringTests {
  static final Path REPO = Path.of(System.getProperty("suite.repo", "../..")).toAbsolutePath();

  @Test
  @SuppressWarnings("unchecked")
  void thePrometheusRuleHoldsEveryGroupOfEveryRuleFile() throws Exception {
    List<Object> expected = new ArrayList<>();
    for (Path file : Generated.ruleFiles(REPO)) {
      Map<String, Object> rules = new Yaml().load(Files.readString(file));
      expected.addAll((List<Object>) rules.get("groups"));
    }
    Map<String, Object> rule =
        new Yaml().load(Files.readString(REPO.resolve(KubernetesMonitoring.RULES)));
    assertThat(rule).containsEntry("kind", "PrometheusRule");
    List<Object> groups = (List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups");
    assertThat(groups).isEqualTo(expected);
    assertThat(groups).hasSizeGreaterThanOrEqualTo(13);
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachDashboardIsAConfigMapForGrafanasSidecarWithItsJsonUnchanged() throws Exception {
    var json = tools.jackson.databind.json.JsonMapper.builder().build();
    Map<String, Object> byName = new TreeMap<>();
    for (Object document :
        new Yaml().loadAll(Files.readString(REPO.resolve(KubernetesMonitoring.DASHBOARDS)))) {
      Map<String, Object> map = (Map<String, Object>) document;
      Map<String, Object> metadata = (Map<String, Object>) map.get("metadata");
      assertThat((Map<String, Object>) metadata.get("labels"))
          .containsEntry("grafana_dashboard", "1");
      byName.putAll((Map<String, Object>) map.get("data"));
    }
    try (var files = Files.list(REPO.resolve(Generated.DASHBOARDS))) {
      List<Path> dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertThat(byName).hasSize(dashboards.size());
      for (Path dashboard : dashboards) {
        assertThat(json.readTree((String) byName.get(dashboard.getFileName().toString())))
            .isEqualTo(json.readTree(Files.readString(dashboard)));
      }
    }
  }

  @Test
  void aRuleFileWithMoreThanGroupsIsRefusedNotSilentlyDropped() {
    var files = new TreeMap<String, String>(Map.of("x.yml", "groups:\n  - name: a\nextra: 1\n"));
    assertThatThrownBy(() -> KubernetesMonitoring.files(files, new TreeMap<>()))
        .hasMessageContaining("a top-level key besides 'groups:'");
  }
}
