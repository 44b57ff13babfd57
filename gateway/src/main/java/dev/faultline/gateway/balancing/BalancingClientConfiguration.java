package dev.faultline.gateway.balancing;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;

/**
 * Wraps the instance list of every load-balanced route (see {@link LoadBalancerClients}'s default
 * configuration) in {@link AvoidingInstanceListSupplier}: whatever the discovery stack supplies
 * (Spring Cloud Zookeeper's list, cached for the configured TTL) is filtered per request. Not a
 * {@code @Configuration}: it is registered in each route's load-balancer context, not in the
 * gateway's own.
 */
public class BalancingClientConfiguration {

  @Bean
  static BeanPostProcessor avoidingInstances(ObjectProvider<Outliers> outliers) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof ServiceInstanceListSupplier supplier
                && !(bean instanceof AvoidingInstanceListSupplier)
            ? new AvoidingInstanceListSupplier(supplier, outliers.getObject())
            : bean;
      }
    };
  }
}
