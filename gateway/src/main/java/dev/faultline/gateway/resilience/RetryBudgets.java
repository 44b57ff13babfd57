package dev.faultline.gateway.resilience;

import dev.faultline.gateway.admission.RejectionCause;
import dev.faultline.gateway.admission.Rejections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A {@link RetryBudget} per service, with its metrics: {@code gateway_retries_total{service}} (the
 * retries sent), {@code gateway_retry_budget_used{service}} (0 to 1) and the refused retries in
 * {@code gateway_rejections_total{cause="retry-budget"}}.
 */
public final class RetryBudgets {
  private final RetryBudgetProperties settings;
  private final LongSupplier nanoTime;
  private final MeterRegistry meters;
  private final Rejections rejections;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  public RetryBudgets(
      RetryBudgetProperties settings,
      LongSupplier nanoTime,
      MeterRegistry meters,
      Rejections rejections) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.meters = meters;
    this.rejections = rejections;
  }

  private record Budget(RetryBudget budget, Counter retries) {}

  /** Registers the service's series at zero. */
  public void register(String service) {
    budget(service);
  }

  public void requested(String service) {
    budget(service).budget().requested();
  }

  /** A retry is due: true when the budget allows it (and it is counted), false when spent. */
  public boolean tryRetry(String service) {
    Budget b = budget(service);
    if (!settings.enabled() || b.budget().tryRetry()) {
      b.retries().increment();
      return true;
    }
    rejections.count(service, RejectionCause.RETRY_BUDGET);
    return false;
  }

  private Budget budget(String service) {
    return budgets.computeIfAbsent(
        service,
        s -> {
          RetryBudget budget =
              new RetryBudget(
                  settings.ratio(), settings.minPerSecond(), settings.window(), nanoTime);
          Gauge.builder("gateway.retry.budget.used", budget, RetryBudget::used)
              .description("Share of the service's retry budget the last window's retries used")
              .tag("service", s)
              .register(meters);
          return new Budget(
              budget,
              Counter.builder("gateway.retries")
                  .description("Retries the gateway sent (each after a failed attempt)")
                  .tag("service", s)
                  .register(meters));
        });
  }
}
