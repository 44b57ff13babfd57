package dev.faultline.e2e.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TourPageTests {
  private static final Path FILE = Path.of("docs/concepts/x.md");

  private static final String PAGE =
      """
      # An idea

      Prose, and a block that is shown but not run:

      ```bash
      bin/suite up
      ```

      ## Try it

      ```bash tour
      export TOKEN=abc
      echo "token $TOKEN"
      ```

      ```text expect
      ^token abc$
      ```

      ```bash tour
      echo '{"fencingToken":42}'
      ```
      """;

  @Test
  void onlyTourBlocksAreStepsEachWithTheExpectationsRightAfterIt() {
    TourPage page = TourPage.parse(FILE, PAGE);
    assertThat(page.steps()).hasSize(2);
    assertThat(page.steps().get(0).commands()).isEqualTo("export TOKEN=abc\necho \"token $TOKEN\"");
    assertThat(page.steps().get(0).line()).isEqualTo(11);
    assertThat(page.steps().get(0).expected()).map(Object::toString).containsExactly("^token abc$");
    assertThat(page.steps().get(1).expected()).isEmpty();
  }

  @Test
  void anUnclosedBlockIsAnErrorNamingItsLine() {
    assertThatThrownBy(() -> TourPage.parse(FILE, "```bash tour\necho hi\n"))
        .hasMessageContaining("line 1");
  }

  @Test
  void theScriptMarksEachStepAndRewritesItsCommands() {
    TourPage page = TourPage.parse(FILE, PAGE);
    String script = TourScript.of(page, s -> s.replace("42", "43"));
    assertThat(script)
        .startsWith("set -euo pipefail\necho '@@tour-step 0'\nexport TOKEN=abc")
        .contains("echo '@@tour-step 1'\necho '{\"fencingToken\":43}'")
        .endsWith("echo '@@tour-done'\n");
  }

  @Test
  void aPageHoldsWhenEveryStepRanAndShowedWhatItSays() {
    TourPage page = TourPage.parse(FILE, PAGE);
    String output = "@@tour-step 0\ntoken abc\n@@tour-step 1\n{\"fencingToken\":42}\n@@tour-done\n";
    assertThat(TourScript.check(page, output, 0)).isEmpty();
  }

  @Test
  void aMissingExpectationAFailedStepAndTheStepsAfterItAreEachNamed() {
    TourPage page = TourPage.parse(FILE, PAGE);
    assertThat(
            TourScript.check(page, "@@tour-step 0\ntoken xyz\n@@tour-step 1\n{}\n@@tour-done\n", 0))
        .singleElement()
        .asString()
        .startsWith("x.md:11: expected /^token abc$/");
    assertThat(TourScript.check(page, "@@tour-step 0\ncurl: (7) refused\n", 7))
        .satisfiesExactly(
            failed -> assertThat(failed).startsWith("x.md:11: exited 7").contains("refused"),
            after -> assertThat(after).startsWith("x.md:20: never ran"));
  }

  @Test
  void theSuitesAddressesMoveByTheTestsPortOffset() {
    assertThat(
            TourScript.shiftPorts(10_000)
                .apply("curl http://localhost:8080/api/x 127.0.0.1:9090 example.com:8080"))
        .isEqualTo("curl http://localhost:18080/api/x 127.0.0.1:19090 example.com:8080");
  }
}
