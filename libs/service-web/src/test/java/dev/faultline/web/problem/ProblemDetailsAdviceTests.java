package dev.faultline.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** What a client is told about a body that does not bind: the field, in the API's words. */
class ProblemDetailsAdviceTests {
  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  record Item(String sku, Integer quantity) {}

  record Body(Long amountCents, List<Item> items) {}

  private static String detailFor(String json) {
    return ProblemDetailsAdvice.unreadable(
        catchThrowable(() -> STRICT.readValue(json, Body.class)));
  }

  @Test
  void theDetailNamesTheFieldAndNeverAJavaType() {
    assertThat(detailFor("{\"amountCents\": 1, \"bonus\": 2}")).isEqualTo("unknown field 'bonus'");
    assertThat(detailFor("{\"items\": [{\"sku\": \"a\", \"quantity\": 1.5}]}"))
        .startsWith("'items[0].quantity' is not of the type");
    assertThat(detailFor("{\"amountCents\": 1, \"amountCents\": 2}"))
        .startsWith("the body is not valid JSON")
        .contains("amountCents");
    assertThat(detailFor("{\"amountCents\": ")).startsWith("the body is not valid JSON");
    assertThat(ProblemDetailsAdvice.unreadable(new IllegalStateException("no body")))
        .isEqualTo("the request body is missing or is not JSON");
    for (String json : List.of("{\"items\": [{\"quantity\": \"x\"}]}", "{\"bonus\": 1}")) {
      assertThat(detailFor(json)).doesNotContain("java.", "dev.faultline", "Source:");
    }
  }
}
