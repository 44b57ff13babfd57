package dev.faultline.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutliersTests {
  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
  private final Outliers outliers =
      new Outliers(new OutlierPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(10)), now::get);

  @Test
  void consecutiveTransportFailuresEjectAnInstanceForAGrowingInterval() {
    assertThat(outliers.ejected("orders", "a")).isFalse();
    assertThat(outliers.failed("orders", "a")).isEmpty();
    assertThat(outliers.ejected("orders", "a")).isFalse();
    assertThat(outliers.failed("orders", "a")).hasValue(Duration.ofSeconds(2));
    assertThat(outliers.ejected("orders", "a")).isTrue();
    assertThat(outliers.ejected("orders", "b")).isFalse();
    assertThat(outliers.ejected("payments", "a")).isFalse();
    assertThat(outliers.ejectedCount("orders")).isEqualTo(1);

    // Requests chosen before the ejection fail too: they do not extend it.
    assertThat(outliers.failed("orders", "a")).isEmpty();
    advance(Duration.ofMillis(2001));
    assertThat(outliers.ejected("orders", "a")).isFalse();

    // Back on probation: one more failure sends it out for twice as long, up to the maximum.
    assertThat(outliers.failed("orders", "a")).hasValue(Duration.ofSeconds(4));
    advance(Duration.ofSeconds(5));
    assertThat(outliers.failed("orders", "a")).hasValue(Duration.ofSeconds(8));
    advance(Duration.ofSeconds(9));
    assertThat(outliers.failed("orders", "a")).hasValue(Duration.ofSeconds(10));
    advance(Duration.ofSeconds(11));
    assertThat(outliers.failed("orders", "a")).hasValue(Duration.ofSeconds(10));
  }

  @Test
  void aSuccessClearsTheRecordAndDiscoveryDecidesWhoIsRemembered() {
    outliers.failed("orders", "a");
    outliers.succeeded("orders", "a");
    assertThat(outliers.failed("orders", "a")).isEmpty(); // the count started again

    outliers.failed("orders", "a");
    outliers.failed("orders", "b");
    outliers.failed("orders", "b");
    assertThat(outliers.ejectedCount("orders")).isEqualTo(2);
    outliers.retain("orders", List.of("a"));
    assertThat(outliers.ejected("orders", "b")).isFalse();
    assertThat(outliers.ejected("orders", "a")).isTrue();
  }

  @Test
  void aPolicyMustEjectForAPositiveBoundedTime() {
    assertThatThrownBy(() -> new OutlierPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutlierPolicy(1, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutlierPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }
}
