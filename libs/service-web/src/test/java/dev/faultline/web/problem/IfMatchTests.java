package dev.faultline.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IfMatchTests {
  @Test
  void strongTagsMatchByStrongComparisonAndStarMatchesAny() {
    assertThat(IfMatch.allows(null, "\"3\"")).isTrue();
    assertThat(IfMatch.allows(IfMatch.parse("\"3\""), "\"3\"")).isTrue();
    assertThat(IfMatch.allows(IfMatch.parse("\"2\""), "\"3\"")).isFalse();
    assertThat(IfMatch.allows(IfMatch.parse("\"1\", \"3\""), "\"3\"")).isTrue();
    assertThat(IfMatch.allows(IfMatch.parse("W/\"3\""), "\"3\"")).isFalse(); // weak never matches
    assertThat(IfMatch.allows(IfMatch.parse(" * "), "\"3\"")).isTrue();
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
