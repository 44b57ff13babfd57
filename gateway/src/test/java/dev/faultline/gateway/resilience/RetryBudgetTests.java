package dev.faultline.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTests {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void retriesAddAtMostTheRatioOfRequestsPlusTheMinimum() {
    AtomicLong now = new AtomicLong();
    RetryBudget budget = new RetryBudget(0.2, 1, Duration.ofSeconds(10), now::get);
    int allowed = 0;
    for (int i = 0; i < 1_000; i++) {
      budget.requested();
      if (budget.tryRetry()) {
        allowed++;
      }
    }
    // 10 from the minimum (1/s over 10 s) and a fifth of 1,000.
    assertThat(allowed).isEqualTo(210);
    assertThat(budget.used()).isEqualTo(1.0);
  }

  @Test
  void theBudgetComesBackAsTheWindowSlidesPastOldRetries() {
    AtomicLong now = new AtomicLong();
    RetryBudget budget = new RetryBudget(0.0, 1, Duration.ofSeconds(10), now::get);
    int first = 0;
    while (budget.tryRetry()) {
      first++;
    }
    assertThat(first).isEqualTo(10);
    now.addAndGet(5 * SECOND);
    assertThat(budget.tryRetry()).isFalse(); // the retries are still in the window
    now.addAndGet(6 * SECOND);
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.used()).isEqualTo(0.1);
  }

  @Test
  void aQuietRouteCanStillRetry() {
    RetryBudget budget = new RetryBudget(0.2, 5, Duration.ofSeconds(10), () -> 0);
    budget.requested();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
  }
}
