package dev.faultline.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IfMatchTests {
  @Test
  void strongTagsMatchByStrongComparisonAndStarMatchesAny() {
    assertThat(IfMatch.satisfied(null, "\"3\"")).isTrue();
    assertThat(IfMatch.satisfied("\"3\"", "\"3\"")).isTrue();
    assertThat(IfMatch.satisfied("\"2\"", "\"3\"")).isFalse();
    assertThat(IfMatch.satisfied("\"1\", \"3\"", "\"3\"")).isTrue();
    assertThat(IfMatch.satisfied("W/\"3\"", "\"3\"")).isFalse(); // weak never matches
    assertThat(IfMatch.satisfied(" * ", "\"3\"")).isTrue();
  }

  @Test
  void anythingButATagListIsRefusedAsBadInput() {
    for (String bad : new String[] {"", "3", "\"3", "\"3\",", ",\"3\"", "\"a\"b\"", "W/3", "**"}) {
      assertThatThrownBy(() -> IfMatch.parse(bad))
          .as(bad)
          .isInstanceOf(Rejections.InvalidIfMatch.class);
    }
  }
}
