package dev.faultline.gateway.admission;

import dev.faultline.gateway.metrics.OperationMetricsFilter;
import dev.faultline.problem.ProblemTypes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Spillover at the door: while every instance of a request's service is at its concurrency limit
 * and the queue is full, the request is answered {@code 503 overloaded} with {@code Retry-After}
 * right after Netty decodes it, before authentication, tracing, routing or any filter runs. The
 * refusal the load balancer makes costs a request's full way through the gateway (a millisecond of
 * CPU, measured), and under four times the load it can serve, those refusals would eat the CPU that
 * serves; here a refusal costs a few microseconds. A request that would not be refused, or whose
 * service cannot be told from its path, goes on as ever, and its admission is decided as ever.
 *
 * <p>One per connection, between Netty's HTTP codec and Reactor Netty's request handling. HTTP/1.1
 * answers in order: a request is shed only while no earlier request of the connection awaits its
 * answer. A shed request's body, if any, is read and dropped; keep-alive is kept as the client
 * asked. An {@code Expect: 100-continue} request is never shed here.
 */
public final class EarlyShedding extends ChannelDuplexHandler {
  private final ServicePaths paths;
  private final Admission admission;
  private final Rejections rejections;
  private final OperationMetricsFilter operations;
  // The service of each request passed on whose final answer has not been written, oldest first
  // ("" for a path of no service): touched on the connection's event loop only.
  private final java.util.ArrayDeque<String> awaiting = new java.util.ArrayDeque<>();
  private boolean dropping; // the body of a shed request is still arriving

  public EarlyShedding(
      ServicePaths paths,
      Admission admission,
      Rejections rejections,
      OperationMetricsFilter operations) {
    this.paths = paths;
    this.admission = admission;
    this.rejections = rejections;
    this.operations = operations;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (dropping && msg instanceof HttpContent content) {
      dropping = !(content instanceof LastHttpContent);
      content.release();
      if (!dropping) {
        readNext(ctx);
      }
      return;
    }
    if (msg instanceof HttpRequest request) {
      String service = serviceOf(request);
      if (service.isEmpty()) {
        awaiting.add(service);
      } else if (!awaiting.isEmpty()
          || !request.decoderResult().isSuccess()
          || HttpUtil.is100ContinueExpected(request)) {
        admission.enterAnyway(service); // behind another, or not ours to refuse: let in, counted
        awaiting.add(service);
      } else if (admission.enter(service)) {
        awaiting.add(service);
      } else {
        shed(ctx, request, service);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && !informational(msg) && !awaiting.isEmpty()) {
      leave(awaiting.poll()); // a final answer is complete
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Requests whose answers will never be written (the client left, the connection broke).
    while (!awaiting.isEmpty()) {
      leave(awaiting.poll());
    }
    super.channelInactive(ctx);
  }

  private void leave(String service) {
    if (!service.isEmpty()) {
      admission.leave(service);
    }
  }

  private String serviceOf(HttpRequest request) {
    String service = paths.serviceOf(pathOf(request));
    return service == null ? "" : service;
  }

  private static String pathOf(HttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static boolean informational(Object msg) {
    return msg instanceof HttpResponse response
        && response.status().codeClass()
            == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL;
  }

  private void shed(ChannelHandlerContext ctx, HttpRequest request, String service) {
    String path = pathOf(request);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    dropping = !(request instanceof LastHttpContent);
    String method = request.method().name();
    ReferenceCountUtil.release(request);
    rejections.countShedAtTheDoor(service);
    operations.recordRefused(method, path, 503);
    String traceId = traceId(request.headers().get("traceparent"));
    byte[] body = problem(service, path, traceId).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse answer =
        new DefaultFullHttpResponse(
            request.protocolVersion(),
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            Unpooled.wrappedBuffer(body));
    answer
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.RETRY_AFTER, "1")
        .set("X-Trace-Id", traceId);
    if (!keepAlive) {
      answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(answer);
      if (!dropping) {
        readNext(ctx);
      }
    }
  }

  /**
   * Reactor Netty reads a connection on demand (auto-read off) and asks for the next request once
   * it has answered the last; it never saw this one, so this handler asks instead, or the
   * connection's next request would never be read.
   */
  private static void readNext(ChannelHandlerContext ctx) {
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  /** The client's trace, continued ({@code traceparent}'s trace ID), or a new one. */
  static String traceId(String traceparent) {
    if (traceparent != null
        && traceparent.length() >= 35
        && traceparent.charAt(2) == '-'
        && traceparent.substring(3, 35).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return traceparent.substring(3, 35).toLowerCase(java.util.Locale.ROOT);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(random.nextLong())
        + HexFormat.of().toHexDigits(random.nextLong());
  }

  static String problem(String service, String path, String traceId) {
    // The service and trace are names and hex; the path is the client's: escape it.
    return "{\"type\":\""
        + ProblemTypes.of("overloaded")
        + "\",\"title\":\"Service overloaded\",\"status\":503,\"detail\":\"Every instance of "
        + service
        + " is at its concurrency limit; the request was not sent. Retry after the Retry-After"
        + " seconds.\",\"instance\":\""
        + escape(path)
        + "\",\"traceId\":\""
        + traceId
        + "\"}";
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    return out.toString();
  }
}
