package dev.faultline.gateway.limits;

import dev.faultline.gateway.problem.GatewayProblems;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds request bodies to {@code faultline.gateway.max-body-size} (64 KB, as the services): a
 * declared length over it is refused before a byte is read, and any other body is read up to the
 * limit and no further. The route's retries buffer a body to resend it, so without this a client
 * could make the gateway hold megabytes per request. The refusal happens before routing, so it
 * never counts against a route's circuit breaker.
 */
public final class BodyLimitFilter implements WebFilter, Ordered {
  private final int limit;
  private final GatewayProblems problems;

  public BodyLimitFilter(DataSize limit, GatewayProblems problems) {
    this.limit = Math.toIntExact(limit.toBytes());
    this.problems = problems;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    long declared = request.getHeaders().getContentLength();
    if (declared > limit) {
      return tooLarge(exchange);
    }
    if (declared == 0
        || (declared < 0 && !request.getHeaders().containsHeader("Transfer-Encoding"))) {
      return chain.filter(exchange); // no body
    }
    return DataBufferUtils.join(request.getBody(), limit)
        .map(BodyLimitFilter::copyAndRelease)
        .defaultIfEmpty(new byte[0])
        .flatMap(
            bytes ->
                chain.filter(
                    exchange.mutate().request(new Replayed(request, bytes, exchange)).build()))
        .onErrorResume(DataBufferLimitException.class, e -> tooLarge(exchange));
  }

  private static byte[] copyAndRelease(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  private Mono<Void> tooLarge(ServerWebExchange exchange) {
    return problems.write(
        exchange,
        HttpStatus.CONTENT_TOO_LARGE,
        "content-too-large",
        "Content too large",
        "the request body is larger than the " + limit + " bytes this API accepts");
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 11; // right after the trace ID, before security
  }

  /** The request with its body read once, served from memory to every attempt. */
  private static final class Replayed extends ServerHttpRequestDecorator {
    private final byte[] body;
    private final ServerWebExchange exchange;

    Replayed(ServerHttpRequest request, byte[] body, ServerWebExchange exchange) {
      super(request);
      this.body = body;
      this.exchange = exchange;
    }

    @Override
    public Flux<DataBuffer> getBody() {
      return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
    }
  }
}
