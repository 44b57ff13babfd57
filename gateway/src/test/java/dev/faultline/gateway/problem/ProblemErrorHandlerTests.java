package dev.faultline.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.gateway.admission.OverloadedException;
import dev.faultline.gateway.admission.RejectionCause;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

class ProblemErrorHandlerTests {

  @Test
  void deadOrOpenRoutesAre503() {
    assertThat(ProblemErrorHandler.classify(new ServiceUnavailableException()).status())
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(
            ProblemErrorHandler.classify(
                    CallNotPermittedException.createCallNotPermittedException(
                        CircuitBreaker.ofDefaults("r")))
                .detail())
        .contains("circuit is open");
    assertThat(ProblemErrorHandler.classify(NotFoundException.create(false, "no instance")).slug())
        .isEqualTo("service-unavailable");
    assertThat(
            ProblemErrorHandler.classify(new RuntimeException(new ConnectException("refused")))
                .status())
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
  }

  @Test
  void aSpillIsA503OverloadedNamingTheServiceNotAFailure() {
    var failure =
        ProblemErrorHandler.classify(
            new OverloadedException("order-service", RejectionCause.CONCURRENCY_LIMIT));
    assertThat(failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(failure.slug()).isEqualTo("overloaded");
    assertThat(failure.detail()).contains("order-service", "not sent");
  }

  @Test
  void timeoutsAre504AndUnknownPaths404() {
    assertThat(ProblemErrorHandler.classify(new RuntimeException(new TimeoutException())).status())
        .isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
    assertThat(
            ProblemErrorHandler.classify(new ResponseStatusException(HttpStatus.NOT_FOUND)).slug())
        .isEqualTo("not-found");
  }

  @Test
  void anythingElseIsABadGatewayThatLeaksNothing() {
    var failure = ProblemErrorHandler.classify(new IllegalStateException("secret internals"));
    assertThat(failure.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
    assertThat(failure.detail()).doesNotContain("secret");
  }
}
