package dev.faultline.drill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayCountersTests {
  private static final String BEFORE =
      """
      # TYPE gateway_rejections_total counter
      gateway_rejections_total{application="gateway",cause="concurrency-limit",service="order-service"} 4.0
      gateway_rejections_total{application="gateway",cause="rate-limit",service="order-service"} 1.0
      gateway_retries_total{application="gateway",service="order-service"} 10.0
      gateway_outliers_ejections_total{application="gateway",service="order-service"} 2.0
      """;

  @Test
  void countsWhatEachGatewayAddedByCauseAndARestartedGatewayCountsFromZero() {
    Map<String, Double> before = new HashMap<>();
    GatewayCounters.parse("g1", BEFORE, before);
    GatewayCounters.parse("g2", BEFORE, before);
    Map<String, Double> after = new HashMap<>();
    GatewayCounters.parse(
        "g1",
        BEFORE
            .replace("} 4.0", "} 9.0")
            .replace(
                "retries_total{application=\"gateway\",service=\"order-service\"} 10.0",
                "retries_total{application=\"gateway\",service=\"order-service\"} 13.0"),
        after);
    // g2 was restarted: its counters began again, and what they hold now is all new.
    GatewayCounters.parse("g2", BEFORE.replace("} 4.0", "} 2.0"), after);

    Map<String, Long> since = new GatewayCounters(after).since(new GatewayCounters(before));
    assertThat(since)
        .containsEntry("concurrency-limit", 5L + 2L)
        .containsEntry("rate-limit", 0L)
        .containsEntry("retries", 3L)
        .doesNotContainKey("unknown");
  }
}
