package dev.faultline.web.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.SuiteKeys;
import dev.faultline.auth.spring.SuiteJwtDecoders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceIdentityTests {

  /** A mutable clock: the test moves time, the identity reads it. */
  private static final class MovingClock extends Clock {
    Instant now = Instant.now();

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aServiceMintsItsOwnShortTokenAndRenewsItAtHalfItsLife(@TempDir Path dir) throws Exception {
    SuiteKeys keys = SuiteKeys.loadOrCreate(dir, List.of("order-service"));
    MovingClock clock = new MovingClock();
    ServiceIdentity identity =
        new ServiceIdentity(
            "order-service",
            new ServiceCredentials(null, keys.of("order-service").privatePem()),
            Duration.ofMinutes(4),
            clock);

    String first = identity.requireToken();
    var decoded = SuiteJwtDecoders.servlet(dir.resolve(SigningKeys.PUBLIC_FILE)).decode(first);
    assertThat(decoded.getSubject()).isEqualTo("order-service");
    assertThat(Duration.between(decoded.getIssuedAt(), decoded.getExpiresAt()))
        .isEqualTo(Duration.ofMinutes(4));

    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(identity.requireToken()).isEqualTo(first);
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(identity.requireToken()).isNotEqualTo(first); // half its life gone: renewed
  }

  @Test
  void aFixedTokenIsUsedAsGivenAndNoCredentialIsAClearFailure() {
    Clock clock = Clock.systemUTC();
    assertThat(
            new ServiceIdentity("payment-service", new ServiceCredentials("t", null), clock)
                .requireToken())
        .isEqualTo("t");
    ServiceIdentity none =
        new ServiceIdentity("payment-service", new ServiceCredentials(null, null), clock);
    assertThatThrownBy(none::requireToken)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("faultline.service.signing-key");
  }
}
