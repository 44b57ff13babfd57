package dev.faultline.gateway.limits;

import dev.faultline.problem.ProblemTypes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Gives a body to the answers Netty's HTTP decoder sends on its own, before any of Spring runs: a
 * request line over the limit ({@code 414}), headers over it ({@code 431}), a request it cannot
 * parse ({@code 400}). Reactor Netty writes those as empty responses that close the connection;
 * this rewrites exactly that shape into a problem, so a client sees one error format whoever
 * refused. Everything else passes untouched.
 */
@ChannelHandler.Sharable
public final class DecodingFailureProblems extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(DecodingFailureProblems.class);
  private static final Set<Integer> DECODER_STATUSES = Set.of(400, 413, 414, 431);

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof FullHttpResponse response && isDecoderRefusal(response)) {
      int status = response.status().code();
      // No trace was opened for a request that never decoded: a fresh ID still ties the answer to
      // this log line.
      String traceId = UUID.randomUUID().toString().replace("-", "");
      log.info("refused an undecodable request with {}, traceId {}", status, traceId);
      byte[] body = problem(status, traceId).getBytes(StandardCharsets.UTF_8);
      FullHttpResponse replaced = response.replace(Unpooled.wrappedBuffer(body));
      replaced
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
          .set("X-Trace-Id", traceId);
      response.release();
      ctx.write(replaced, promise);
      return;
    }
    ctx.write(msg, promise);
  }

  /**
   * Reactor Netty's decoding-failure answer: one of its statuses, empty, closing the connection.
   */
  static boolean isDecoderRefusal(FullHttpResponse response) {
    return DECODER_STATUSES.contains(response.status().code())
        && response.content().readableBytes() == 0
        && "0".equals(response.headers().get(HttpHeaderNames.CONTENT_LENGTH))
        && response
            .headers()
            .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)
        && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE);
  }

  static String problem(int status, String traceId) {
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    String detail =
        switch (status) {
          case 414 -> "the request line is longer than the gateway accepts";
          case 431 -> "the request's headers are larger than the gateway accepts";
          case 413 -> "the request is larger than the gateway accepts";
          default -> "the request is not valid HTTP";
        };
    // Every value is a constant or hex: no escaping needed.
    return "{\"type\":\""
        + ProblemTypes.of(ProblemTypes.slugFor(status))
        + "\",\"title\":\""
        + title
        + "\",\"status\":"
        + status
        + ",\"detail\":\""
        + detail
        + "\",\"traceId\":\""
        + traceId
        + "\"}";
  }
}
