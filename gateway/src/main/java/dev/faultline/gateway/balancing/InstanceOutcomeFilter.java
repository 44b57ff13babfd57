package dev.faultline.gateway.balancing;

import dev.faultline.gateway.admission.Slot;
import dev.faultline.gateway.admission.Slots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs once per attempt, right after the load balancer chose an instance: records the instance as
 * tried by this request (so a retry goes elsewhere), names it in {@code Served-By}, gives back the
 * attempt's admission slot with its latency when the attempt ends, and reports the outcome to
 * {@link Outliers}.
 *
 * <p>What counts against an instance: a refused or reset connection, a timeout, and a 500, 502 or
 * 504 answer (the instance broke, or what stands behind it on its own path did). A 503 does not: it
 * is a service shedding load or saying a dependency its peers share is down (its leases, a shard),
 * with {@code Retry-After}; ejecting it would only shift the load onto its peers, the cascade
 * spillover exists to prevent. For the concurrency limit, a timeout, a transport failure, a 503 and
 * a 504 are "dropped" (the instance did not keep up), a 500 or 502 is no sample at all, and any
 * other answer is a round trip the limit learns from.
 */
public final class InstanceOutcomeFilter implements GlobalFilter, Ordered {
  public static final String SERVED_BY = "Served-By";
  private static final Logger log = LoggerFactory.getLogger(InstanceOutcomeFilter.class);

  private final Outliers outliers;
  private final MeterRegistry meters;
  private final Map<String, Counter> ejections = new ConcurrentHashMap<>();

  public InstanceOutcomeFilter(Outliers outliers, MeterRegistry meters) {
    this.outliers = outliers;
    this.meters = meters;
  }

  @Override
  public int getOrder() {
    return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Response<ServiceInstance> chosen =
        exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
    if (chosen == null || !chosen.hasServer()) {
      return chain.filter(exchange);
    }
    ServiceInstance instance = chosen.getServer();
    String service = instance.getServiceId();
    String id = Attempts.id(instance);
    Attempts.tried(exchange.getAttributes()).add(id);
    exchange.getResponse().getHeaders().set(SERVED_BY, Attempts.name(instance));
    Slot slot = Slots.of(exchange.getAttributes()).latest();
    Slot attempt = slot != null && slot.instanceId().equals(id) ? slot : null;
    Throwable[] failure = new Throwable[1];
    return chain
        .filter(exchange)
        .doOnError(error -> failure[0] = error)
        .doFinally(signal -> ended(exchange, service, instance, attempt, failure[0]));
  }

  private void ended(
      ServerWebExchange exchange,
      String service,
      ServiceInstance instance,
      @Nullable Slot slot,
      @Nullable Throwable error) {
    // The signal does not tell: an attempt answered in full may end cancelled rather than
    // completed (the filters around it cancel once they have the answer). What tells is whether
    // an answer came.
    HttpStatusCode status = error == null ? exchange.getResponse().getStatusCode() : null;
    boolean transport = error != null && transportFailure(error);
    if (!transport && status == null) {
      if (slot != null) {
        slot.abandon(); // the client left first, or no answer for another reason: no sample
      }
      return;
    }
    int code = status == null ? 0 : status.value();
    if (slot != null) {
      if (code == 500 || code == 502) {
        slot.abandon(); // broken, not busy: a fast failure's time says nothing about load
      } else {
        slot.release(transport || code == 503 || code == 504);
      }
    }
    String id = Attempts.id(instance);
    if (transport || code == 500 || code == 502 || code == 504) {
      outliers
          .failed(service, id)
          .ifPresent(
              ejection -> {
                ejections(service).increment();
                log.warn(
                    "ejected {} of {} for {} ms after consecutive failures, the last: {}",
                    Attempts.name(instance),
                    service,
                    ejection.toMillis(),
                    transport ? error.toString() : "HTTP " + code);
              });
    } else {
      outliers.succeeded(service, id);
    }
  }

  /** Refused, reset or timed out: the instance (or the path to it) failed, not the request. */
  static boolean transportFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof TimeoutException
          || t instanceof IOException
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Registers the service's ejection series at zero. */
  public void register(String service) {
    ejections(service);
  }

  private Counter ejections(String service) {
    return ejections.computeIfAbsent(
        service,
        s -> {
          Gauge.builder("gateway.outliers.ejected", outliers, o -> o.ejectedCount(s))
              .description("Instances of the service out of rotation now")
              .tag("service", s)
              .register(meters);
          return Counter.builder("gateway.outliers.ejections")
              .description("Instances taken out of rotation after consecutive failures")
              .tag("service", s)
              .register(meters);
        });
  }
}
