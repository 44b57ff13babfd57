package dev.faultline.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;

class OperationMetricsFilterTests {

  @Test
  void everyOperationAndOutcomeExistsFromTheStartAtZero() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    new OperationMetricsFilter(meters);
    var serverErrors =
        meters.get(OperationMetricsFilter.METER).tag("outcome", "SERVER_ERROR").timers();
    assertThat(serverErrors).hasSize(Operation.values().length);
    assertThat(serverErrors).allSatisfy(t -> assertThat(t.count()).isZero());
    assertThat(
            meters
                .get(OperationMetricsFilter.METER)
                .tag("operation", "place-order")
                .tag("outcome", "SUCCESSFUL")
                .timer()
                .count())
        .isZero();
  }

  @Test
  void theOutcomeIsTheStatusSeries() {
    assertThat(OperationMetricsFilter.outcome(HttpStatusCode.valueOf(201))).isEqualTo("SUCCESSFUL");
    assertThat(OperationMetricsFilter.outcome(HttpStatusCode.valueOf(409)))
        .isEqualTo("CLIENT_ERROR");
    assertThat(OperationMetricsFilter.outcome(HttpStatusCode.valueOf(503)))
        .isEqualTo("SERVER_ERROR");
    assertThat(OperationMetricsFilter.outcome(null)).isEqualTo("SUCCESSFUL");
  }
}
