package dev.faultline.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import dev.faultline.gateway.metrics.OperationMetricsFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

class EarlySheddingTests {
  private static final List<Admission.Instance> ONE =
      List.of(new Admission.Instance("id-1", "o-1"));

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Rejections rejections = new Rejections(meters);
  private final Admission admission =
      new Admission(
          () -> new FixedLimit(1),
          new QueuePolicy(0, Duration.ZERO),
          System::nanoTime,
          meters,
          rejections);
  private ServicePaths paths;

  @BeforeEach
  void routes() {
    RouteDefinition orders = new RouteDefinition();
    orders.setId("orders");
    orders.setUri(URI.create("lb://order-service"));
    orders.setPredicates(List.of(new PredicateDefinition("Path=/api/orders,/api/orders/**")));
    GatewayProperties gateway = new GatewayProperties();
    gateway.setRoutes(List.of(orders));
    paths = ServicePaths.of(gateway);
    // The balancer has met the service's one instance (limit 1, no queue): the door holds 1.
    admission
        .admit("order-service", ONE, BalancingPolicy.named("round-robin", 0.25), null, new Slots())
        .block()
        .release(false);
  }

  private EmbeddedChannel connection() {
    return new EmbeddedChannel(
        new EarlyShedding(paths, admission, rejections, new OperationMetricsFilter(meters)));
  }

  private static HttpRequest get(String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  private static void answer(EmbeddedChannel connection) {
    connection.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    connection.outboundMessages().clear();
  }

  @Test
  void aRequestForAFullServiceIsAnswered503RightAwayAndTheConnectionKept() {
    EmbeddedChannel first = connection();
    first.writeInbound(get("/api/orders/o-1")); // let in: the service is full now
    assertThat((Object) first.readInbound()).isNotNull();
    assertThat(admission.capacity("order-service")).isEqualTo(1);

    EmbeddedChannel channel = connection();
    channel.writeInbound(get("/api/orders/o-1?x=1"));
    assertThat((Object) channel.readInbound()).isNull(); // nothing of the gateway saw it
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(answer.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
    assertThat(answer.headers().get(HttpHeaderNames.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    assertThat(answer.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    String body = answer.content().toString(StandardCharsets.UTF_8);
    assertThat(body)
        .contains("\"type\":\"urn:faultline:problem:overloaded\"", "\"status\":503")
        .contains("\"instance\":\"/api/orders/o-1\"")
        .containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
    answer.release();
    assertThat(channel.isOpen()).isTrue();
    assertThat(meters.get("gateway.rejections").tag("cause", "concurrency-limit").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("gateway.shed.at.door").counter().count()).isEqualTo(1);
    assertThat(
            meters
                .get("gateway.operations")
                .tag("operation", "read-orders")
                .tag("outcome", "SERVER_ERROR")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void whenAnAnswerIsWrittenTheDoorLetsTheNextRequestIn() {
    EmbeddedChannel first = connection();
    first.writeInbound(get("/api/orders/o-1"));
    EmbeddedChannel second = connection();
    second.writeInbound(get("/api/orders/o-2"));
    assertThat((Object) second.readInbound()).isNull();
    second.outboundMessages().clear();

    answer(first);
    second.writeInbound(get("/api/orders/o-2"));
    assertThat((Object) second.readInbound()).isNotNull();
  }

  @Test
  void aPathOfNoServiceAlwaysGoesOn() {
    connection().writeInbound(get("/api/orders/o-1")); // full
    EmbeddedChannel channel = connection();
    channel.writeInbound(get("/actuator/health"));
    assertThat((Object) channel.readInbound()).isNotNull();
  }

  @Test
  void aRequestBehindOneStillAwaitingItsAnswerIsLetInSoAnswersStayInOrder() {
    EmbeddedChannel channel = connection();
    channel.writeInbound(get("/api/orders/o-1")); // let in, not yet answered: full
    assertThat((Object) channel.readInbound()).isNotNull();
    channel.writeInbound(get("/api/orders/o-2")); // pipelined behind it: must not jump ahead
    assertThat((Object) channel.readInbound()).isNotNull();
    assertThat((Object) channel.readOutbound()).isNull();
    EmbeddedChannel other = connection();
    other.writeInbound(get("/api/orders/o-3"));
    assertThat((Object) other.readInbound()).isNull(); // two counted at the door now
    other.outboundMessages().clear();

    // A 100 Continue is not a final answer; the two real answers are.
    channel.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    answer(channel);
    other.writeInbound(get("/api/orders/o-3"));
    assertThat((Object) other.readInbound()).isNull(); // still one ahead
    other.outboundMessages().clear();
    answer(channel);
    other.writeInbound(get("/api/orders/o-3"));
    assertThat((Object) other.readInbound()).isNotNull();
  }

  @Test
  void aConnectionThatClosesWithRequestsUnansweredGivesTheirPlacesBack() {
    EmbeddedChannel first = connection();
    first.writeInbound(get("/api/orders/o-1"));
    first.close();
    EmbeddedChannel second = connection();
    second.writeInbound(get("/api/orders/o-2"));
    assertThat((Object) second.readInbound()).isNotNull();
  }

  @Test
  void aShedRequestsBodyIsReadAndDroppedAndTheNextRequestIsReadAsUsual() {
    EmbeddedChannel first = connection();
    first.writeInbound(get("/api/orders/o-1"));
    EmbeddedChannel channel = connection();
    HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/orders");
    post.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 6);
    channel.writeInbound(post);
    channel.writeInbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
    channel.writeInbound(
        new DefaultLastHttpContent(Unpooled.copiedBuffer("    ", StandardCharsets.UTF_8)));
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(((FullHttpResponse) channel.readOutbound()).status().code()).isEqualTo(503);

    answer(first);
    channel.writeInbound(get("/api/orders/o-1"));
    assertThat((Object) channel.readInbound()).isNotNull();
  }

  /**
   * Reactor Netty reads on demand and asks for the next request only after answering one; a shed
   * request it never saw must not leave the connection unread (its next request would hang).
   */
  @Test
  void afterSheddingWithReadsOnDemandTheNextRequestIsAskedFor() {
    connection().writeInbound(get("/api/orders/o-1"));
    EmbeddedChannel channel = connection();
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    channel.config().setAutoRead(false);
    channel
        .pipeline()
        .addFirst(
            new io.netty.channel.ChannelOutboundHandlerAdapter() {
              @Override
              public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
              }
            });
    int before = reads.get();
    channel.writeInbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/orders/o"));
    channel.writeInbound(new DefaultLastHttpContent());
    assertThat(((FullHttpResponse) channel.readOutbound()).status().code()).isEqualTo(503);
    assertThat(reads.get()).isGreaterThan(before);
  }

  @Test
  void aClientThatAskedToCloseGetsItsAnswerAndTheConnectionClosed() {
    connection().writeInbound(get("/api/orders/o-1"));
    EmbeddedChannel channel = connection();
    HttpRequest request = get("/api/orders/o-1");
    request.headers().set(HttpHeaderNames.CONNECTION, "close");
    channel.writeInbound(request);
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status().code()).isEqualTo(503);
    assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aCallersTraceIsContinuedAndAnythingElseStartsOne() {
    assertThat(EarlyShedding.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(EarlyShedding.traceId("nonsense")).matches("[0-9a-f]{32}");
    assertThat(EarlyShedding.traceId(null)).matches("[0-9a-f]{32}");
    assertThat(EarlyShedding.problem("svc", "/a\"b", "t")).contains("\"instance\":\"/a\\\"b\"");
  }
}
