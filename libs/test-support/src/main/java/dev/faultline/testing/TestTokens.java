package dev.faultline.testing;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Real signed tokens for tests: one key pair per test JVM, its public half in a file to point
 * {@code faultline.auth.public-key-file} at, exactly as the suite does.
 */
public final class TestTokens {
  private static final Path DIR = createKeys();
  private static final TokenMinter MINTER;

  static {
    try {
      MINTER = new TokenMinter(SigningKeys.loadOrCreate(DIR), Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestTokens() {}

  private static Path createKeys() {
    try {
      Path dir = Files.createTempDirectory("faultline-test-keys");
      SigningKeys.generate().write(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String publicKeyFile() {
    return DIR.resolve(SigningKeys.PUBLIC_FILE).toString();
  }

  public static String customer(String customerId) {
    return MINTER.mint(TokenRequest.customer(customerId, Duration.ofMinutes(30)));
  }

  /** What {@code bin/suite} gives a service to call the others with: admin rights, its name. */
  public static String service(String name) {
    return MINTER.mint(TokenRequest.admin(name, Duration.ofHours(2)));
  }

  public static String admin() {
    return MINTER.mint(TokenRequest.admin("admin", Duration.ofMinutes(30)));
  }

  /** A token signed with another key: well-formed, correctly claimed, and worthless here. */
  public static String forged(String customerId) {
    return new TokenMinter(SigningKeys.generate(), Clock.systemUTC())
        .mint(TokenRequest.customer(customerId, Duration.ofMinutes(30)));
  }
}
