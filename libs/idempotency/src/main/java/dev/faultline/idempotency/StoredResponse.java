package dev.faultline.idempotency;

import java.util.Map;

/**
 * A response as stored under a key and replayed for its retries: status, the headers that matter to
 * a client ({@code Content-Type}, {@code Location}, {@code ETag}) and the body text.
 */
public record StoredResponse(int status, Map<String, String> headers, String body) {

  public StoredResponse {
    headers = Map.copyOf(headers);
    if (status < 200 || status > 499) {
      // A 5xx says "unknown, retry": storing it would turn a passing fault into a permanent answer.
      throw new IllegalArgumentException("only definitive outcomes are stored, not " + status);
    }
  }
}
