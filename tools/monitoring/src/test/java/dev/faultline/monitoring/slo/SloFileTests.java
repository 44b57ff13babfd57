package dev.faultline.monitoring.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading slo.yaml, and the PromQL a rule gets from it. */
class SloFileTests {
  private static final String ONE =
      """
      window: 30d
      slos:
        - name: pay
          journey: pay
          objective: 99.9
          description: payments answered
          events:
            metric: requests_total
            select: {operation: pay}
            bad: {outcome: SERVER_ERROR}
        - name: pay-fast
          journey: pay
          objective: 99
          description: payments within 500 ms
          latency:
            histogram: requests_seconds
            select: {operation: pay}
            within: 500ms
      """;

  @Test
  void readsEventAndLatencySlis() {
    SloFile file = SloFile.parse(ONE);
    assertThat(file.window()).isEqualTo(Duration.ofDays(30));
    assertThat(file.slo("pay").budget()).isEqualTo(0.001);
    assertThat(file.slo("pay-fast").sli()).isInstanceOf(Slo.Latency.class);
    assertThat(((Slo.Latency) file.slo("pay-fast").sli()).le()).isEqualTo("0.5");
  }

  /** The error-ratio expression of {@code slo} in {@link #ONE} over {@code range}. */
  private static String errorRatio(String slo, String range) {
    return RuleFile.errorRatio(SloFile.parse(ONE).slo(slo).sli(), range);
  }

  @Test
  void anEventsRatioCountsBadOverAllAndIsZeroWithoutBadSeries() {
    assertThat(errorRatio("pay", "5m"))
        .isEqualTo(
            "(sum(rate(requests_total{operation=\"pay\",outcome=\"SERVER_ERROR\"}[5m])) or"
                + " vector(0)) / sum(rate(requests_total{operation=\"pay\"}[5m]))");
  }

  @Test
  void aLatencyRatioCountsWhatMissedTheBucket() {
    assertThat(errorRatio("pay-fast", "1h"))
        .isEqualTo(
            "clamp_min(1 - sum(rate(requests_seconds_bucket{le=\"0.5\",operation=\"pay\"}[1h]))"
                + " / sum(rate(requests_seconds_count{operation=\"pay\"}[1h])), 0)");
  }

  @Test
  void refusesWhatItCannotMeasure() {
    assertThatThrownBy(() -> SloFile.parse(ONE.replace("objective: 99.9", "objective: 100")))
        .hasMessageContaining("objective");
    assertThatThrownBy(() -> SloFile.parse(ONE.replace("within: 500ms", "within: soon")))
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> SloFile.parse(ONE.replace("name: pay-fast", "name: pay")))
        .hasMessageContaining("two SLOs");
    assertThatThrownBy(() -> SloFile.parse(ONE.replace("bad: {outcome: SERVER_ERROR}", "bad: {}")))
        .hasMessageContaining("bad");
  }
}
