package dev.faultline.gateway.problem;

import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Records the request's trace ID (started here, or continued from the client's {@code traceparent})
 * on the exchange and in an {@code X-Trace-Id} response header, so every answer, problem or not,
 * names the trace that finds its log lines in every service it crossed.
 */
public final class TraceIdFilter implements WebFilter, Ordered {
  static final String ATTRIBUTE = TraceIdFilter.class.getName() + ".traceId";
  public static final String HEADER = "X-Trace-Id";

  private final Tracer tracer;

  public TraceIdFilter(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var span = tracer.currentSpan();
    if (span != null) {
      String traceId = span.context().traceId();
      exchange.getAttributes().put(ATTRIBUTE, traceId);
      exchange.getResponse().getHeaders().set(HEADER, traceId);
    }
    return chain.filter(exchange);
  }

  static @Nullable String traceId(ServerWebExchange exchange) {
    return exchange.getAttribute(ATTRIBUTE);
  }

  @Override
  public int getOrder() {
    // After the observation filter has opened the request's span, before security and routing.
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }
}
