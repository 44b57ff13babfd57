package dev.faultline.gateway.balancing;

import dev.faultline.gateway.admission.Admission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * The instances the load balancer may choose from for one request: discovery's list without the
 * instances this request already tried and without ejected outliers. The route's policy then
 * chooses among them ({@link PolicyLoadBalancer}). Never empty while discovery lists anyone: when
 * every instance is excluded, the untried ones are offered even if ejected, and then all, since
 * trying a doubtful instance beats failing without trying.
 */
final class AvoidingInstanceListSupplier extends DelegatingServiceInstanceListSupplier {
  private final Outliers outliers;
  private final Admission admission;

  AvoidingInstanceListSupplier(
      ServiceInstanceListSupplier delegate, Outliers outliers, Admission admission) {
    super(delegate);
    this.outliers = outliers;
    this.admission = admission;
  }

  @Override
  public Flux<List<ServiceInstance>> get() {
    return delegate.get();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Flux<List<ServiceInstance>> get(Request request) {
    Set<String> tried = tried(request);
    return delegate
        .get(request)
        .map(
            listed -> {
              List<String> ids = listed.stream().map(Attempts::id).toList();
              outliers.retain(getServiceId(), ids);
              admission.retain(getServiceId(), ids);
              return candidates(listed, tried, outliers);
            });
  }

  static List<ServiceInstance> candidates(
      List<ServiceInstance> listed, Set<String> tried, Outliers outliers) {
    List<ServiceInstance> untried =
        tried.isEmpty()
            ? listed
            : listed.stream().filter(i -> !tried.contains(Attempts.id(i))).toList();
    List<ServiceInstance> healthy =
        untried.stream().filter(i -> !outliers.ejected(i.getServiceId(), Attempts.id(i))).toList();
    if (!healthy.isEmpty()) {
      return healthy;
    }
    return untried.isEmpty() ? listed : untried;
  }

  @SuppressWarnings("rawtypes")
  private static Set<String> tried(Request request) {
    if (request.getContext() instanceof RequestDataContext context
        && context.getClientRequest() != null) {
      Map<String, Object> attributes = context.getClientRequest().getAttributes();
      if (attributes != null) {
        return Attempts.tried(attributes);
      }
    }
    return Set.of();
  }
}
