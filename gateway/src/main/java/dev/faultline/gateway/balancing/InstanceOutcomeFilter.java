package dev.faultline.gateway.balancing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs once per attempt, right after the load balancer chose an instance: records the instance as
 * tried by this request (so a retry goes elsewhere), names it in {@code Served-By}, and reports the
 * attempt's outcome to {@link Outliers}. Only transport failures count against an instance: a
 * refused or reset connection, a timeout. A service's own error answer (a 503 while its leases are
 * down, say) says the instance is alive; ejecting it would only shift the load onto its peers.
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
    return chain
        .filter(exchange)
        .doOnSuccess(done -> outliers.succeeded(service, id))
        .doOnError(
            error -> {
              if (transportFailure(error)) {
                outliers
                    .failed(service, id)
                    .ifPresent(
                        ejection -> {
                          ejections(service).increment();
                          log.warn(
                              "ejected {} of {} for {} ms after consecutive transport failures,"
                                  + " the last: {}",
                              Attempts.name(instance),
                              service,
                              ejection.toMillis(),
                              error.toString());
                        });
              }
            });
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

  private Counter ejections(String service) {
    return ejections.computeIfAbsent(
        service,
        s -> {
          Gauge.builder("gateway.outliers.ejected", outliers, o -> o.ejectedCount(s))
              .description("Instances of the service out of rotation now")
              .tag("service", s)
              .register(meters);
          return Counter.builder("gateway.outliers.ejections")
              .description("Instances taken out of rotation after consecutive transport failures")
              .tag("service", s)
              .register(meters);
        });
  }
}
