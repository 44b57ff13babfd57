package dev.faultline.monitoring.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed rules and promtool tests are what monitoring/slo.yaml generates. */
class GeneratedFilesTests {
  static final Path REPO = Path.of(System.getProperty("suite.repo", "../..")).toAbsolutePath();

  @Test
  void committedRulesAndTestsMatchSloYaml() throws Exception {
    assertThat(Generated.stale(REPO))
        .as("generated from monitoring/slo.yaml but stale: run tools/monitoring/regenerate")
        .isEmpty();
  }

  @Test
  void everySloGetsOneRuleFileAndOneTestFile() throws Exception {
    SloFile slos = SloFile.of(REPO);
    assertThat(Generated.files(slos)).hasSize(2 * slos.slos().size());
    assertThat(slos.slos()).hasSizeGreaterThanOrEqualTo(12);
  }
}
