package dev.faultline.gateway.balancing;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.gateway.balancing}: the policy of each route, by route ID, with the key that
 * gives its requests affinity; routes not named take {@code defaultPolicy}. {@code epsilon} is
 * bounded-load hashing's slack: no instance carries more than {@code 1 + epsilon} times the mean.
 */
@ConfigurationProperties(prefix = "faultline.gateway.balancing")
public record BalancingProperties(
    @DefaultValue("least-outstanding") String defaultPolicy,
    @DefaultValue("0.25") double epsilon,
    @Nullable Map<String, Route> routes) {

  public BalancingProperties {
    routes = routes == null ? Map.of() : Map.copyOf(routes);
    BalancingPolicy.named(defaultPolicy, epsilon); // refuses an unknown name at startup
    routes.forEach((id, route) -> BalancingPolicy.named(route.policy(), epsilon));
  }

  /** One route's policy and the key that keeps its requests together. */
  public record Route(
      @DefaultValue("least-outstanding") String policy, @DefaultValue("none") Affinity affinity) {}

  /** One policy object per route (round robin counts, bounded-load hashing keeps rings). */
  public RoutePolicies policies() {
    Map<String, RoutePolicies.Choice> byRoute = new HashMap<>();
    routes.forEach(
        (id, route) ->
            byRoute.put(
                id,
                new RoutePolicies.Choice(
                    route.policy(),
                    BalancingPolicy.named(route.policy(), epsilon),
                    route.affinity())));
    return new RoutePolicies(
        byRoute,
        new RoutePolicies.Choice(
            defaultPolicy, BalancingPolicy.named(defaultPolicy, epsilon), Affinity.NONE));
  }
}
