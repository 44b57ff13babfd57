package dev.faultline.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code gateway_operations_seconds{operation, outcome}}: every request through the gateway, timed
 * from arrival to the commit of its answer, by {@link Operation} and by the answer's status series
 * ({@code SUCCESSFUL}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, ...). The SLOs read this, not
 * Spring Cloud Gateway's own request metric, for two reasons:
 *
 * <ul>
 *   <li>every series exists from startup, at zero. A counter series born at its first event is
 *       first scraped already at 1 (or 3), and {@code rate()} never sees that rise: the first
 *       errors of an outage, often all of them, would be missing from the SLI;
 *   <li>it counts what never reaches a route too (a 401, a 503 shed before routing), timed to the
 *       moment the answer is committed, after the error handler has set its status.
 * </ul>
 */
public final class OperationMetricsFilter implements WebFilter, Ordered {
  public static final String METER = "gateway.operations";
  private static final String[] OUTCOMES = {
    "INFORMATIONAL", "SUCCESSFUL", "REDIRECTION", "CLIENT_ERROR", "SERVER_ERROR"
  };

  /** Every operation's timer per outcome (index: status / 100 - 1), all registered up front. */
  private final Map<Operation, Timer[]> timers = new EnumMap<>(Operation.class);

  public OperationMetricsFilter(MeterRegistry meters) {
    for (Operation operation : Operation.values()) {
      Timer[] byOutcome = new Timer[OUTCOMES.length];
      for (int i = 0; i < OUTCOMES.length; i++) {
        byOutcome[i] =
            Timer.builder(METER)
                .description(
                    "requests through the gateway, by operation and answer's status series")
                .tag("operation", operation.label())
                .tag("outcome", OUTCOMES[i])
                .register(meters);
      }
      timers.put(operation, byOutcome);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long started = System.nanoTime();
    Operation operation = Operation.of(exchange);
    AtomicBoolean recorded = new AtomicBoolean();
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              if (recorded.compareAndSet(false, true)) {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                timers.get(operation)[outcomeIndex(status)].record(
                    Duration.ofNanos(System.nanoTime() - started));
              }
              return Mono.empty();
            });
    return chain.filter(exchange);
  }

  /**
   * A request the gateway refused before any filter ran (shed at the door): counted like every
   * other answer, in no time.
   */
  public void recordRefused(String method, String path, int status) {
    timers.get(Operation.of(method, path))[outcomeIndex(HttpStatusCode.valueOf(status))].record(
        Duration.ZERO);
  }

  /** The status series of the answer; no status set by the time it commits is a 200. */
  static String outcome(HttpStatusCode status) {
    return OUTCOMES[outcomeIndex(status)];
  }

  private static int outcomeIndex(HttpStatusCode status) {
    int series = (status == null ? 200 : status.value()) / 100;
    return Math.clamp(series - 1, 0, OUTCOMES.length - 1);
  }
}
