package dev.faultline.gateway.ratelimit;

import dev.faultline.gateway.admission.RejectionCause;
import dev.faultline.gateway.admission.Rejections;
import dev.faultline.gateway.problem.GatewayProblems;
import java.security.Principal;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Names the caller on the exchange ({@link Callers}) and holds each caller to its token bucket:
 * past it, {@code 429} with {@code Retry-After} (whole seconds until a token is back, at least 1),
 * before the request costs a service anything. Requests without a verified caller (the public API
 * documents) are not limited here.
 */
public final class RateLimitFilter implements GlobalFilter, Ordered {
  private final RateLimitProperties settings;
  private final RateLimits limits;
  private final GatewayProblems problems;
  private final Rejections rejections;

  public RateLimitFilter(
      RateLimitProperties settings,
      LongSupplier nanoTime,
      GatewayProblems problems,
      Rejections rejections) {
    this.settings = settings;
    this.limits = new RateLimits(settings, nanoTime);
    this.problems = problems;
    this.rejections = rejections;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    return exchange
        .getPrincipal()
        .map(Principal::getName)
        .flatMap(caller -> admit(exchange, chain, caller).thenReturn(true))
        .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
        .then();
  }

  private Mono<Void> admit(ServerWebExchange exchange, GatewayFilterChain chain, String caller) {
    exchange.getAttributes().put(Callers.ATTRIBUTE, caller);
    if (!settings.enabled()) {
      return chain.filter(exchange);
    }
    long wait = limits.take(caller);
    if (wait == 0) {
      return chain.filter(exchange);
    }
    rejections.count(Rejections.serviceOf(exchange), RejectionCause.RATE_LIMIT);
    long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
    return problems.write(
        exchange,
        HttpStatus.TOO_MANY_REQUESTS,
        "rate-limited",
        "Too many requests",
        String.format(
            Locale.ROOT,
            "This caller may send %.0f requests a second (bursts of %d) through each gateway;"
                + " retry after %d s.",
            settings.requestsPerSecond(),
            settings.burst(),
            seconds));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1; // after SlotsFilter, before the routes' own filters
  }
}
