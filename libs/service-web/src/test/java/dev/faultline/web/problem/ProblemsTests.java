package dev.faultline.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemsTests {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void problemsCarryAStableTypeAndTheRequestsTraceId() {
    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    ProblemDetail problem =
        Problems.of(HttpStatus.NOT_FOUND, "order-not-found", "Order not found", "no order x");

    assertThat(problem.getType().toString()).isEqualTo("urn:faultline:problem:order-not-found");
    assertThat(problem.getProperties())
        .containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(problem.getStatus()).isEqualTo(404);
  }

  @Test
  void frameworkProblemsGetATypeFromTheirStatus() {
    ProblemDetail problem = Problems.withTrace(ProblemDetail.forStatus(415));
    assertThat(problem.getType().toString())
        .isEqualTo("urn:faultline:problem:unsupported-media-type");
    assertThat(Problems.slugFor(500)).isEqualTo("internal-error");
    assertThat(Problems.slugFor(418)).isEqualTo("http-418");
  }
}
