package dev.faultline.gateway.metrics;

import io.micrometer.core.instrument.Tags;
import org.springframework.cloud.gateway.support.tagsprovider.GatewayTagsProvider;
import org.springframework.web.server.ServerWebExchange;

/** Adds {@code operation} ({@link Operation}) to {@code spring_cloud_gateway_requests_seconds}. */
public final class OperationTagsProvider implements GatewayTagsProvider {
  @Override
  public Tags apply(ServerWebExchange exchange) {
    var request = exchange.getRequest();
    return Tags.of(
        "operation", Operation.of(request.getMethod().name(), request.getPath().value()).label());
  }
}
