package dev.faultline.gateway.balancing;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The balancing policy and affinity of each route, and the default for the others. */
public final class RoutePolicies {
  /** A route's policy (by name and as an object) and its affinity. */
  public record Choice(String name, BalancingPolicy policy, Affinity affinity) {}

  private final Map<String, Choice> byRoute;
  private final Choice fallback;

  RoutePolicies(Map<String, Choice> byRoute, Choice fallback) {
    this.byRoute = Map.copyOf(byRoute);
    this.fallback = fallback;
  }

  public Choice of(@Nullable String routeId) {
    Choice choice = routeId == null ? null : byRoute.get(routeId);
    return choice != null ? choice : fallback;
  }
}
