package dev.faultline.gateway.metrics;

import io.micrometer.core.instrument.Tags;
import org.springframework.cloud.gateway.support.tagsprovider.GatewayTagsProvider;
import org.springframework.web.server.ServerWebExchange;

/** Adds {@code operation} ({@link Operation}) to {@code spring_cloud_gateway_requests_seconds}. */
public final class OperationTagsProvider implements GatewayTagsProvider {
  @Override
  public Tags apply(ServerWebExchange exchange) {
    return Tags.of("operation", Operation.of(exchange).label());
  }
}
