package dev.faultline.gateway.balancing;

import dev.faultline.gateway.admission.Admission;
import dev.faultline.gateway.admission.Slots;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * The load balancer of every route: discovery's instances (less those this request tried and the
 * ejected outliers, {@link AvoidingInstanceListSupplier}), the route's policy choosing among those
 * under their concurrency limit with the request's affinity key, and a slot on the chosen one from
 * {@link Admission} (or a fast refusal when all are full).
 */
final class PolicyLoadBalancer implements ReactorServiceInstanceLoadBalancer {
  private final String service;
  private final ObjectProvider<ServiceInstanceListSupplier> suppliers;
  private final RoutePolicies policies;
  private final Admission admission;

  PolicyLoadBalancer(
      String service,
      ObjectProvider<ServiceInstanceListSupplier> suppliers,
      RoutePolicies policies,
      Admission admission) {
    this.service = service;
    this.suppliers = suppliers;
    this.policies = policies;
    this.admission = admission;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Mono<Response<ServiceInstance>> choose(Request request) {
    if (!(request.getContext() instanceof RequestDataContext context)
        || context.getClientRequest() == null
        || context.getClientRequest().getAttributes() == null) {
      return Mono.just(new EmptyResponse()); // only the gateway's routes come here
    }
    Map<String, Object> attributes = context.getClientRequest().getAttributes();
    Route route = (Route) attributes.get(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    RoutePolicies.Choice choice = policies.of(route == null ? null : route.getId());
    String key =
        choice.affinity().keyOf(context.getClientRequest().getUrl().getRawPath(), attributes);
    ServiceInstanceListSupplier supplier =
        suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
    return supplier
        .get(request)
        .next()
        .flatMap(
            listed -> {
              if (listed.isEmpty()) {
                return Mono.just(new EmptyResponse()); // no live instance: the route's 503
              }
              Map<String, ServiceInstance> byId = new HashMap<>();
              List<Admission.Instance> instances =
                  listed.stream()
                      .map(
                          i -> {
                            byId.put(Attempts.id(i), i);
                            return new Admission.Instance(Attempts.id(i), Attempts.name(i));
                          })
                      .toList();
              return admission
                  .admit(service, instances, choice.policy(), key, Slots.of(attributes))
                  .map(slot -> new DefaultResponse(byId.get(slot.instanceId())));
            });
  }
}
