package dev.faultline.drill.suite;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens minted once per subject and kind, for deployments where minting is dear (a one-off
 * container, a key read from disk): the drill asks for the same few tokens all the time.
 */
final class TokenCache {
  /** Mints one token. */
  @FunctionalInterface
  interface Minter {
    String mint(String subject, boolean admin) throws IOException;
  }

  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Minter minter;

  TokenCache(Minter minter) {
    this.minter = minter;
  }

  String token(String subject, boolean admin) throws IOException {
    String key = (admin ? "admin:" : "customer:") + subject;
    String known = tokens.get(key);
    if (known != null) {
      return known;
    }
    String minted = minter.mint(subject, admin);
    tokens.put(key, minted);
    return minted;
  }
}
