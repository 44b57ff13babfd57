package dev.faultline.drill.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drill's client over real loopback sockets: one gateway that refuses every connection (a
 * killed one whose port nobody listens on) and live ones that count what reached them.
 */
class GatewayTests {
  private final List<HttpServer> servers = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void aRefusedConnectionGoesAtOnceToTheOtherGatewayAndNothingIsSentTwice() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    URI live = serve(reached);
    Gateway gateway = new Gateway(List.of(deadPort(), live));
    for (int i = 0; i < 20; i++) {
      Gateway.Answer get = gateway.get("/api/things/" + i, "t");
      Gateway.Answer post = gateway.post("/api/things", "t", "{}");
      assertThat(get.status()).isEqualTo(200);
      assertThat(post.status()).isEqualTo(200);
      assertThat(get.attempts()).isEqualTo(1);
    }
    // Every request reached the live gateway exactly once: a refused one never left.
    assertThat(reached).hasValue(40);
  }

  @Test
  void liveGatewaysShareTheRequests() throws Exception {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    Gateway gateway = new Gateway(List.of(serve(first), serve(second)));
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/api/things", "t").ok()).isTrue();
    }
    assertThat(first).hasValue(10);
    assertThat(second).hasValue(10);
  }

  @Test
  void withEveryGatewayDownTheAnswerIsNoAnswer() throws Exception {
    Gateway gateway = new Gateway(List.of(deadPort(), deadPort()));
    Gateway.Answer answer = gateway.get("/api/things", "t");
    assertThat(answer.answered()).isFalse();
    assertThat(answer.reason()).isEqualTo("ConnectException");
  }

  private URI serve(AtomicInteger reached) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          reached.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A loopback port that was free a moment ago: connecting to it is refused. */
  private static URI deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
