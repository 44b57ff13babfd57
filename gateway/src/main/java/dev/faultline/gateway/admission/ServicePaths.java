package dev.faultline.gateway.admission;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Which service a request path goes to, read off the routes' {@code Path} predicates ({@code
 * /api/orders} exactly, {@code /api/orders/**} by prefix) and their {@code lb://} URIs, cheaply
 * enough to ask before anything else runs. Only for shedding: the route itself is still chosen by
 * the gateway's own predicates for every request that is not shed.
 */
public final class ServicePaths {
  private record Pattern(String path, boolean prefix, String service) {
    boolean matches(String requested) {
      return prefix ? requested.startsWith(path) : requested.equals(path);
    }
  }

  private final List<Pattern> patterns;

  private ServicePaths(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  public static ServicePaths of(GatewayProperties gateway) {
    List<Pattern> patterns = new ArrayList<>();
    for (RouteDefinition route : gateway.getRoutes()) {
      URI uri = route.getUri();
      if (uri == null || !"lb".equals(uri.getScheme()) || uri.getHost() == null) {
        continue;
      }
      for (PredicateDefinition predicate : route.getPredicates()) {
        if (!predicate.getName().equals("Path")) {
          continue;
        }
        for (String value : predicate.getArgs().values()) {
          for (String path : value.split(",")) {
            String p = path.trim();
            if (p.endsWith("/**")) {
              patterns.add(new Pattern(p.substring(0, p.length() - 2), true, uri.getHost()));
            } else if (!p.contains("*") && !p.contains("{")) {
              patterns.add(new Pattern(p, false, uri.getHost()));
            }
          }
        }
      }
    }
    return new ServicePaths(patterns);
  }

  /** The service of the first route whose path matches, or null. */
  public @Nullable String serviceOf(String path) {
    for (Pattern pattern : patterns) {
      if (pattern.matches(path)) {
        return pattern.service();
      }
    }
    return null;
  }
}
