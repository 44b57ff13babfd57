package dev.faultline.gateway.balancing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The instances one request has been sent to, kept in its exchange's attributes: the retries of the
 * same exchange share them, and the load balancer sees them through its request data.
 */
final class Attempts {
  static final String ATTRIBUTE = "faultline.gateway.triedInstances";

  private Attempts() {}

  @SuppressWarnings("unchecked")
  static Set<String> tried(Map<String, Object> attributes) {
    return (Set<String>)
        attributes.computeIfAbsent(ATTRIBUTE, a -> ConcurrentHashMap.<String>newKeySet());
  }

  /** What names an instance: its registration's ID (a restarted process registers a new one). */
  static String id(ServiceInstance instance) {
    String id = instance.getInstanceId();
    return id != null ? id : instance.getHost() + ":" + instance.getPort();
  }

  /** What the {@code Served-By} header says: the instance's name, as its metrics tag it. */
  static String name(ServiceInstance instance) {
    String name = instance.getMetadata().get("instance");
    return name != null && !name.isBlank()
        ? name
        : instance.getServiceId() + "@" + instance.getHost() + ":" + instance.getPort();
  }
}
