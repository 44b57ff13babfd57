package dev.faultline.idempotency;

import java.nio.charset.StandardCharsets;

/**
 * One request under a key: who sent it ({@code scope}, the caller's identity: two callers may pick
 * the same key), the key, and the request's fingerprint.
 */
public record IdempotentRequest(String scope, IdempotencyKey key, String fingerprint) {

  /**
   * The advisory-lock key that serialises requests with this scope and key on their shard: a 64-bit
   * hash, so unrelated keys practically never share it (and if they did, one would merely be told
   * to retry).
   */
  long lockKey() {
    byte[] bytes = (scope + '\n' + key.value()).getBytes(StandardCharsets.UTF_8);
    return dev.faultline.ring.KeyHash.of(bytes);
  }
}
