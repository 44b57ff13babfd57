package dev.faultline.gateway.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code gateway_rejections_total{service, cause}}: every request, or retry, the gateway refused on
 * its own. Each service's series exist from startup at zero ({@link #register}), so a dashboard or
 * a rate() sees the first rejection as a change, not as a series appearing.
 */
public final class Rejections {
  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Counter> atTheDoor = new ConcurrentHashMap<>();

  public Rejections(MeterRegistry meters) {
    this.meters = meters;
  }

  public void register(String service) {
    for (RejectionCause cause : RejectionCause.values()) {
      counter(service, cause);
    }
    shedAtTheDoor(service);
  }

  /**
   * A concurrency-limit refusal made right after decoding ({@link EarlyShedding}): counted among
   * the rejections, and in {@code gateway_shed_at_door_total{service}}, which tells how many of
   * them cost next to nothing.
   */
  public void countShedAtTheDoor(String service) {
    count(service, RejectionCause.CONCURRENCY_LIMIT);
    shedAtTheDoor(service).increment();
  }

  private Counter shedAtTheDoor(String service) {
    return atTheDoor.computeIfAbsent(
        service,
        s ->
            Counter.builder("gateway.shed.at.door")
                .description(
                    "Concurrency-limit refusals made right after decoding, before any filter ran")
                .tag("service", s)
                .register(meters));
  }

  public void count(String service, RejectionCause cause) {
    counter(service, cause).increment();
  }

  /** The service a routed exchange goes to ({@code lb://order-service}: order-service). */
  public static String serviceOf(ServerWebExchange exchange) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    URI uri = route == null ? null : route.getUri();
    return uri == null || uri.getHost() == null ? "unknown" : uri.getHost();
  }

  private Counter counter(String service, RejectionCause cause) {
    return counters.computeIfAbsent(
        service + '\n' + cause.tag(),
        k ->
            Counter.builder("gateway.rejections")
                .description("Requests and retries the gateway refused itself, by cause")
                .tag("service", service)
                .tag("cause", cause.tag())
                .register(meters));
  }
}
