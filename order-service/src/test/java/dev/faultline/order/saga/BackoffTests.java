package dev.faultline.order.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class BackoffTests {
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  @Test
  void theCeilingDoublesPerAttemptUpToTheCap() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(3200));
    assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theDelayIsFullJitterBelowTheCeiling() {
    assertThat(backoff.delay(3, bound -> bound - 1)).isEqualTo(Duration.ofMillis(799));
    assertThat(backoff.delay(3, bound -> 0)).isEqualTo(Duration.ofMillis(1));
    for (int attempt = 1; attempt < 40; attempt++) {
      Duration delay = backoff.delay(attempt, bound -> ThreadLocalRandom.current().nextLong(bound));
      assertThat(delay).isPositive().isLessThanOrEqualTo(backoff.ceiling(attempt));
    }
  }

  @Test
  void aCapBelowTheBaseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
