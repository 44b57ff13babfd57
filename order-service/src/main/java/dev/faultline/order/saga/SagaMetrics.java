package dev.faultline.order.saga;

import dev.faultline.order.orders.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The saga's metrics: {@code saga_completed_total{outcome}}, {@code saga_duration_seconds} (start
 * to terminal, histogram), {@code saga_step_attempts_total{step,result}}, and the gauges {@code
 * saga_in_flight} and {@code saga_stuck}, reported by the instance that holds a shard's recovery
 * lease for that shard (so a sum over instances counts each saga once).
 */
@Component
public class SagaMetrics {
  private final MeterRegistry meters;
  private final Timer duration;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong stuck = new AtomicLong();

  /** The saga-completion SLO's bound (monitoring/slo.yaml): a bucket must end exactly there. */
  static final Duration SLO_BOUND = Duration.ofSeconds(10);

  SagaMetrics(MeterRegistry meters, SagaProperties properties) {
    this.meters = meters;
    this.duration =
        Timer.builder("saga.duration")
            .description("from an order's creation to its saga's terminal state")
            .publishPercentileHistogram()
            // Exact buckets at the answer's deadline (201 vs 202), the SLO's bound and "stuck".
            .serviceLevelObjectives(properties.respondWithin(), SLO_BOUND, properties.stuckAfter())
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(meters);
    Gauge.builder("saga.in.flight", inFlight, AtomicLong::get)
        .description("non-terminal sagas on the shards whose recovery lease this instance holds")
        .register(meters);
    Gauge.builder("saga.stuck", stuck, AtomicLong::get)
        .description("sagas not terminal within faultline.saga.stuck-after, on this lease's shards")
        .register(meters);
    // Every step/result series from the start, at zero: the payment SLO counts "unknown" results,
    // and a series born at its first event would hide that event from rate().
    for (String step : new String[] {"charge", "refund"}) {
      for (String result : new String[] {"ok", "unknown"}) {
        stepCounter(step, result);
      }
    }
    for (OrderStatus outcome : OrderStatus.values()) {
      if (outcome.isTerminal()) {
        completedCounter(outcome);
      }
    }
  }

  void completed(OrderStatus outcome, double seconds) {
    completedCounter(outcome).increment();
    duration.record(Duration.ofNanos((long) (seconds * 1e9)));
  }

  void step(String step, String result) {
    stepCounter(step, result).increment();
  }

  private Counter stepCounter(String step, String result) {
    return Counter.builder("saga.step.attempts")
        .description("saga steps tried, by outcome (ok, unknown)")
        .tag("step", step)
        .tag("result", result)
        .register(meters);
  }

  void levels(long inFlight, long stuck) {
    this.inFlight.set(inFlight);
    this.stuck.set(stuck);
  }

  private Counter completedCounter(OrderStatus outcome) {
    return Counter.builder("saga.completed")
        .description("sagas that reached a terminal state, by outcome")
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .register(meters);
  }
}
