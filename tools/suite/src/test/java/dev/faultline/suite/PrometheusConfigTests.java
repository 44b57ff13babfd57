package dev.faultline.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed Prometheus configurations are what the suite's topology renders, so every service
 * instance is scraped under its own name, locally and in compose. (promtool checks them too.)
 */
class PrometheusConfigTests {
  private static final Path REPO =
      Path.of(System.getProperty("suite.repo", "../..")).toAbsolutePath();

  private static SuiteTopology topology(Path dir) throws IOException {
    return new SuiteTopology(new SuiteHome(dir, REPO), new SuitePorts(0));
  }

  private static List<PrometheusConfig.Target> targets(Path dir) throws IOException {
    return topology(dir).scrapeTargets();
  }

  @Test
  void everyServiceInstanceIsATargetUnderItsName(@TempDir Path dir) throws Exception {
    List<PrometheusConfig.Target> targets = targets(dir);
    assertThat(targets)
        .extracting(PrometheusConfig.Target::instance)
        .containsExactlyInAnyOrderElementsOf(
            topology(dir).services().stream().map(Member.Service::name).toList())
        .hasSize(9);
    assertThat(targets)
        .contains(
            new PrometheusConfig.Target("gateway", "gateway-1", "127.0.0.1:8080"),
            new PrometheusConfig.Target("gateway", "gateway-2", "127.0.0.1:8081"));
  }

  @Test
  void committedLocalConfigIsTheRenderedOne(@TempDir Path dir) throws Exception {
    assertCommitted("local.yml", PrometheusConfig.committedLocal(targets(dir)));
  }

  @Test
  void committedComposeConfigIsTheRenderedOne(@TempDir Path dir) throws Exception {
    String rendered = assertCommitted("compose.yml", PrometheusConfig.compose(targets(dir)));
    assertThat(rendered)
        .contains("\"order-service-2:8102\"", "/etc/prometheus/faultline/rules/*.yml")
        .contains("\"gateway-1:8080\"")
        .doesNotContain("gateway-2");
  }

  /** monitoring/prometheus/{@code file} is what {@code config} renders; the rendered text. */
  private static String assertCommitted(String file, PrometheusConfig config) throws IOException {
    String rendered = config.render();
    assertThat(Files.readString(REPO.resolve("monitoring/prometheus").resolve(file)))
        .as("monitoring/prometheus/" + file + ": the committed file is what the topology renders")
        .isEqualTo(rendered);
    return rendered;
  }
}
