package dev.faultline.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTypesTests {

  @Test
  void aStatusWithoutAKindOfItsOwnHasOneSlugEverywhere() {
    assertThat(ProblemTypes.of(ProblemTypes.slugFor(404)).toString())
        .isEqualTo("urn:faultline:problem:not-found");
    assertThat(ProblemTypes.slugFor(502)).isEqualTo("bad-gateway");
    assertThat(ProblemTypes.slugFor(500)).isEqualTo("internal-error");
    assertThat(ProblemTypes.slugFor(507)).isEqualTo("internal-error");
    assertThat(ProblemTypes.slugFor(418)).isEqualTo("http-418");
  }
}
