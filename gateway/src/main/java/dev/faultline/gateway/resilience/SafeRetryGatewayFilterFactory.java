package dev.faultline.gateway.resilience;

import dev.faultline.gateway.admission.Rejections;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.retry.Backoff;
import reactor.retry.Jitter;
import reactor.retry.Repeat;
import reactor.retry.Retry;

/**
 * Retries only what is safe to send twice: GET, HEAD and OPTIONS, any request carrying an {@code
 * Idempotency-Key} (the service applies it once), and any request whose connection was refused (it
 * never left). Each retry goes back through the load balancer, so it usually reaches another
 * instance: that is what hides a killed pod from clients. Retries back off exponentially with
 * jitter so a struggling service is not hit in lockstep, and only while the service's {@link
 * RetryBudget} allows: under a total outage retries add a fifth to the load, not twice the load.
 *
 * <p>Use in a route as {@code SafeRetry=2}; the mechanics (resetting the exchange, caching a body)
 * are Spring Cloud Gateway's own Retry filter's.
 */
public class SafeRetryGatewayFilterFactory
    extends AbstractGatewayFilterFactory<SafeRetryGatewayFilterFactory.Config> {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Set<HttpMethod> SAFE_METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final Set<HttpStatus> RETRYABLE_STATUSES =
      Set.of(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.GATEWAY_TIMEOUT);

  private final RetryGatewayFilterFactory retries;
  private final RetryBudgets budgets;

  public SafeRetryGatewayFilterFactory(RetryGatewayFilterFactory retries, RetryBudgets budgets) {
    super(Config.class);
    this.retries = retries;
    this.budgets = budgets;
  }

  @Override
  public List<String> shortcutFieldOrder() {
    return List.of("retries");
  }

  @Override
  public GatewayFilter apply(Config config) {
    Backoff backoff = Backoff.exponential(config.firstBackoff, config.maxBackoff, 2, false);
    Retry<ServerWebExchange> onError =
        Retry.<ServerWebExchange>onlyIf(
                ctx ->
                    retryable(ctx.applicationContext(), ctx.exception())
                        && budgets.tryRetry(Rejections.serviceOf(ctx.applicationContext())))
            .retryMax(config.retries)
            .backoff(backoff)
            .jitter(Jitter.random())
            .doOnRetry(ctx -> retries.reset(ctx.applicationContext()));
    Repeat<ServerWebExchange> onStatus =
        Repeat.<ServerWebExchange>onlyIf(
                ctx ->
                    repeatable(ctx.applicationContext())
                        && budgets.tryRetry(Rejections.serviceOf(ctx.applicationContext())))
            .repeatMax(config.retries)
            .backoff(backoff)
            .jitter(Jitter.random())
            .doOnRepeat(ctx -> retries.reset(ctx.applicationContext()));
    GatewayFilter retrying = retries.apply(config.routeId, onStatus, onError);
    // A retry must resend the body the first attempt consumed: buffer it (our bodies are small
    // JSON documents) and hand every attempt a request that replays it.
    return (exchange, chain) -> {
      budgets.requested(Rejections.serviceOf(exchange));
      return ServerWebExchangeUtils.cacheRequestBodyAndRequest(
          exchange, cached -> retrying.filter(exchange.mutate().request(cached).build(), chain));
    };
  }

  /** A failure before an answer: safe requests retry on I/O errors, any request on a refusal. */
  static boolean retryable(ServerWebExchange exchange, Throwable error) {
    if (causedBy(error, ConnectException.class)) {
      return true; // nothing was sent: even a POST without a key is safe to send elsewhere
    }
    return safe(exchange)
        && (causedBy(error, IOException.class) || causedBy(error, TimeoutException.class));
  }

  /** An answer that says "not me, not now": safe requests try another instance. */
  static boolean repeatable(ServerWebExchange exchange) {
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    return status != null
        && RETRYABLE_STATUSES.contains(HttpStatus.resolve(status.value()))
        && safe(exchange);
  }

  static boolean safe(ServerWebExchange exchange) {
    var request = exchange.getRequest();
    return SAFE_METHODS.contains(request.getMethod())
        || request.getHeaders().containsHeader(IDEMPOTENCY_KEY);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** {@code retries} after the first attempt, with backoff from first to max. */
  public static class Config {
    private String routeId = "";
    private int retries = 2;
    private Duration firstBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofMillis(500);

    public void setRouteId(String routeId) {
      this.routeId = routeId;
    }

    public String getRouteId() {
      return routeId;
    }

    public int getRetries() {
      return retries;
    }

    public void setRetries(int retries) {
      this.retries = retries;
    }

    public Duration getFirstBackoff() {
      return firstBackoff;
    }

    public void setFirstBackoff(Duration firstBackoff) {
      this.firstBackoff = firstBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }
}
