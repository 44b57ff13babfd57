package dev.faultline.drill.report;

import dev.faultline.drill.history.History;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the gateways did with the drill's requests: which instance answered them, per service (the
 * {@code Served-By} of each answer), the refusals clients got from the gateways themselves
 * (overloaded, rate-limited), and the gateways' own counts over the drill (refusals by cause, and
 * retries), read from their metrics.
 */
public record Traffic(
    Map<String, Map<String, Long>> servedBy,
    Map<String, Long> refusedAnswers,
    Map<String, Long> gatewayCounts) {

  /** The problem types a gateway answers itself when it refuses work. */
  static final Set<String> GATEWAY_REFUSALS = Set.of("overloaded", "rate-limited");

  public static Traffic of(History history, Map<String, Long> gatewayCounts) {
    Map<String, Map<String, Long>> servedBy = new TreeMap<>();
    Map<String, Long> refused = new TreeMap<>();
    for (History.Operation op : history.operations()) {
      String instance = op.result("servedBy");
      if (instance != null && !instance.isEmpty()) {
        servedBy
            .computeIfAbsent(service(op.kind()), s -> new TreeMap<>())
            .merge(instance, 1L, Long::sum);
      }
      String reason = op.result("reason");
      if (reason != null && GATEWAY_REFUSALS.contains(reason)) {
        refused.merge(reason, 1L, Long::sum);
      }
    }
    return new Traffic(servedBy, refused, new TreeMap<>(gatewayCounts));
  }

  /** One line: each service's spread over its instances, and the gateways' counts. */
  public String summary() {
    StringBuilder line = new StringBuilder();
    servedBy.forEach(
        (service, instances) -> {
          long total = instances.values().stream().mapToLong(Long::longValue).sum();
          line.append(line.isEmpty() ? "" : "; ").append(service).append(" served by");
          instances.forEach(
              (instance, n) ->
                  line.append(
                      String.format(
                          java.util.Locale.ROOT, " %s %.0f%%", instance, 100.0 * n / total)));
        });
    line.append(line.isEmpty() ? "" : "; ").append("gateways counted");
    gatewayCounts.forEach((cause, n) -> line.append(' ').append(cause).append(' ').append(n));
    return line.toString();
  }

  /** The service an operation kind goes to through the gateway. */
  static String service(String kind) {
    if (kind.startsWith("lock-")) {
      return "lock-service";
    }
    return switch (kind) {
      case "deposit", "open-account" -> "payment-service";
      default -> "order-service";
    };
  }
}
