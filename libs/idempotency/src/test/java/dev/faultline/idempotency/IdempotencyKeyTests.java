package dev.faultline.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTests {

  @Test
  void acceptsTheDraftsQuotedStringAndTheCommonBareForm() {
    assertThat(IdempotencyKey.parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"").value())
        .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
    assertThat(IdempotencyKey.parse("order-42-charge").value()).isEqualTo("order-42-charge");
    assertThat(IdempotencyKey.parse("\"a \\\"quoted\\\" key\"").value())
        .isEqualTo("a \"quoted\" key");
  }

  @Test
  void aMissingKeyIsMissingNotInvalid() {
    assertThatThrownBy(() -> IdempotencyKey.parse(null))
        .isInstanceOf(IdempotencyKeyException.Missing.class);
    assertThatThrownBy(() -> IdempotencyKey.parse("  "))
        .isInstanceOf(IdempotencyKeyException.Missing.class);
  }

  @Test
  void malformedKeysAreRefused() {
    for (String bad :
        new String[] {
          "\"unterminated", "\"x\"trailing", "\"bad \\n escape\"", "two words", "\"\"", "é"
        }) {
      assertThatThrownBy(() -> IdempotencyKey.parse(bad))
          .as(bad)
          .isInstanceOf(IdempotencyKeyException.Invalid.class);
    }
    assertThatThrownBy(() -> IdempotencyKey.parse("k".repeat(256)))
        .isInstanceOf(IdempotencyKeyException.Invalid.class);
    assertThat(IdempotencyKey.parse("k".repeat(255)).value()).hasSize(255);
  }
}
