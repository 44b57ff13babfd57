package dev.faultline.gateway.balancing;

import dev.faultline.gateway.admission.Admission;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The load balancer of every route's service (see {@link LoadBalancerClients}'s default
 * configuration): {@link PolicyLoadBalancer} over the discovery stack's instance list (Spring Cloud
 * Zookeeper's, cached for the configured TTL), kept as last known ({@link
 * LastKnownInstanceListSupplier}) and wrapped in {@link AvoidingInstanceListSupplier}. Not a
 * {@code @Configuration}: it is registered in each service's load-balancer context, not in the
 * gateway's own, whose beans ({@link RoutePolicies}, {@link Admission}, {@link Outliers}) it
 * shares.
 */
public class BalancingClientConfiguration {

  @Bean
  ReactorLoadBalancer<ServiceInstance> policyLoadBalancer(
      Environment environment,
      LoadBalancerClientFactory clients,
      RoutePolicies policies,
      Admission admission) {
    String service = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
    return new PolicyLoadBalancer(
        service,
        clients.getLazyProvider(service, ServiceInstanceListSupplier.class),
        policies,
        admission);
  }

  @Bean
  static BeanPostProcessor avoidingInstances(
      ObjectProvider<Outliers> outliers,
      ObjectProvider<Admission> admission,
      Environment environment) {
    // Read as Boot reads it (no conversion service is there yet for a post-processor's bean).
    Duration refreshAfter =
        DurationStyle.detectAndParse(
            environment.getProperty("spring.cloud.loadbalancer.cache.ttl", "1s"));
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof ServiceInstanceListSupplier supplier
                && !(bean instanceof AvoidingInstanceListSupplier)
            ? new AvoidingInstanceListSupplier(
                new LastKnownInstanceListSupplier(supplier, refreshAfter, FIRST_LIST_TIMEOUT),
                outliers.getObject(),
                admission.getObject())
            : bean;
      }
    };
  }

  /** How long a service's first request waits for discovery's first list of its instances. */
  private static final Duration FIRST_LIST_TIMEOUT = Duration.ofSeconds(3);
}
