package dev.faultline.idempotency.web;

import dev.faultline.idempotency.StoredResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/** The answer to a keyed request: fresh, or the stored one replayed. */
public record Outcome(StoredResponse response, boolean replayed) {
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  public ResponseEntity<String> toResponseEntity() {
    HttpHeaders headers = new HttpHeaders();
    response.headers().forEach(headers::set);
    if (replayed) {
      headers.set(REPLAYED_HEADER, "true");
    }
    return ResponseEntity.status(response.status()).headers(headers).body(response.body());
  }
}
