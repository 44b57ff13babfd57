package dev.faultline.testing;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.SuiteKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Real signed tokens for tests: one key pair per test JVM, its public half in a file to point
 * {@code faultline.auth.public-key-file} at, exactly as the suite does.
 */
public final class TestTokens {
  /** The services that call others, each with a key pair of its own, as in the suite. */
  public static final List<String> CALLING_SERVICES =
      List.of("shard-router", "order-service", "payment-service");

  private static final Path DIR;
  private static final SuiteKeys KEYS;
  private static final TokenMinter MINTER;

  static {
    try {
      DIR = Files.createTempDirectory("faultline-test-keys");
      KEYS = SuiteKeys.loadOrCreate(DIR, CALLING_SERVICES);
      MINTER = new TokenMinter(KEYS.suite(), Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestTokens() {}

  public static String publicKeyFile() {
    return DIR.resolve(SigningKeys.PUBLIC_FILE).toString();
  }

  public static String customer(String customerId) {
    return MINTER.mint(TokenRequest.customer(customerId, Duration.ofMinutes(30)));
  }

  /**
   * A token such as {@code name} mints for itself with its own key: its name, the service role, a
   * short life (ten minutes: mint one per test, never keep one).
   */
  public static String service(String name) {
    return new TokenMinter(KEYS.of(name), Clock.systemUTC())
        .mint(TokenRequest.service(name, Duration.ofMinutes(10)));
  }

  /**
   * The private key {@code name} mints its own tokens with ({@code faultline.service.signing-key}),
   * as the suite hands it out.
   */
  public static String serviceSigningKey(String name) {
    return KEYS.of(name).privatePem();
  }

  public static String admin() {
    return MINTER.mint(TokenRequest.admin("admin", Duration.ofMinutes(30)));
  }

  /** A token of the suite's own key that expired a minute ago (it lived 30 minutes). */
  public static String expired(String customerId) {
    Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-31));
    return new TokenMinter(KEYS.suite(), past)
        .mint(TokenRequest.customer(customerId, Duration.ofMinutes(30)));
  }

  /** A token signed with another key: well-formed, correctly claimed, and worthless here. */
  public static String forged(String customerId) {
    return new TokenMinter(SigningKeys.generate(), Clock.systemUTC())
        .mint(TokenRequest.customer(customerId, Duration.ofMinutes(30)));
  }
}
