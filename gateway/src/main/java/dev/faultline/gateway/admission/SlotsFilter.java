package dev.faultline.gateway.admission;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * First of the routed filters: gives the request its {@link Slots} and, when the exchange ends
 * however it ends (answered, failed, cancelled by a client who left), gives back any slot an
 * attempt did not.
 */
public final class SlotsFilter implements GlobalFilter, Ordered {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Slots slots = Slots.of(exchange.getAttributes());
    return chain.filter(exchange).doFinally(signal -> slots.releaseAll());
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
