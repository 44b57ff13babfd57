package dev.faultline.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RequestFingerprintTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void memberOrderAndWhitespaceDoNotMatter() {
    String a =
        RequestFingerprint.of(
            "POST /api/payments", JSON.readTree("{\"b\": [1, {\"y\":2,\"x\":1}], \"a\": \"s\"}"));
    String b =
        RequestFingerprint.of(
            "POST /api/payments", JSON.readTree("{\"a\":\"s\",\"b\":[1,{\"x\":1,\"y\":2}]}"));
    assertThat(a).isEqualTo(b).hasSize(64);
  }

  @Test
  void anyChangedValueArrayOrderOrOperationDoes() {
    String base = RequestFingerprint.of("POST /a", JSON.readTree("{\"n\":[1,2],\"s\":\"x\"}"));
    assertThat(RequestFingerprint.of("POST /a", JSON.readTree("{\"n\":[2,1],\"s\":\"x\"}")))
        .isNotEqualTo(base);
    assertThat(RequestFingerprint.of("POST /a", JSON.readTree("{\"n\":[1,2],\"s\":\"y\"}")))
        .isNotEqualTo(base);
    assertThat(RequestFingerprint.of("POST /b", JSON.readTree("{\"n\":[1,2],\"s\":\"x\"}")))
        .isNotEqualTo(base);
  }

  @Test
  void canonicalTextEscapesStrings() {
    assertThat(RequestFingerprint.canonical(JSON.readTree("{\"k\":\"a\\\"b\\n\",\"j\":null}")))
        .isEqualTo("{\"j\":null,\"k\":\"a\\\"b\\u000a\"}");
  }
}
