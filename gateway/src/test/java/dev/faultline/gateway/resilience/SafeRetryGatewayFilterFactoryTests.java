package dev.faultline.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class SafeRetryGatewayFilterFactoryTests {

  @Test
  void readsAndKeyedWritesAreSafeToRepeatPlainWritesAreNot() {
    assertThat(SafeRetryGatewayFilterFactory.safe(exchange(MockServerHttpRequest.get("/a"))))
        .isTrue();
    assertThat(SafeRetryGatewayFilterFactory.safe(exchange(MockServerHttpRequest.post("/a"))))
        .isFalse();
    assertThat(
            SafeRetryGatewayFilterFactory.safe(
                exchange(MockServerHttpRequest.post("/a").header("Idempotency-Key", "k"))))
        .isTrue();
    assertThat(SafeRetryGatewayFilterFactory.safe(exchange(MockServerHttpRequest.delete("/a"))))
        .isFalse();
  }

  @Test
  void aRefusedConnectionIsRetriedWhateverTheMethodOtherErrorsOnlyWhenSafe() {
    var post = exchange(MockServerHttpRequest.post("/a"));
    var get = exchange(MockServerHttpRequest.get("/a"));
    var refused = new IllegalStateException(new ConnectException("Connection refused"));

    assertThat(SafeRetryGatewayFilterFactory.retryable(post, refused)).isTrue();
    assertThat(SafeRetryGatewayFilterFactory.retryable(post, new IOException("reset"))).isFalse();
    assertThat(SafeRetryGatewayFilterFactory.retryable(get, new IOException("reset"))).isTrue();
    assertThat(SafeRetryGatewayFilterFactory.retryable(get, new TimeoutException())).isTrue();
    assertThat(SafeRetryGatewayFilterFactory.retryable(get, new IllegalArgumentException()))
        .isFalse();
  }

  @Test
  void onlyUnavailableKindsOfAnswerAreRepeated() {
    var get = exchange(MockServerHttpRequest.get("/a"));
    for (HttpStatus status : HttpStatus.values()) {
      get.getResponse().setStatusCode(status);
      boolean expected =
          status == HttpStatus.BAD_GATEWAY
              || status == HttpStatus.SERVICE_UNAVAILABLE
              || status == HttpStatus.GATEWAY_TIMEOUT;
      assertThat(SafeRetryGatewayFilterFactory.repeatable(get))
          .as(status.toString())
          .isEqualTo(expected);
    }
    var post = exchange(MockServerHttpRequest.post("/a"));
    post.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(SafeRetryGatewayFilterFactory.repeatable(post)).isFalse();
  }

  private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
    return MockServerWebExchange.from(request);
  }
}
