package dev.faultline.web.outbound;

import dev.faultline.ring.KeyHash;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Live instances of a service from ZooKeeper discovery, cached for a second (as the gateway's load
 * balancer does): a killed instance disappears when its session expires, and callers retry refused
 * connections on the next instance meanwhile. If discovery cannot be read, the last list is used.
 */
public final class ServiceInstances {
  private static final Logger log = LoggerFactory.getLogger(ServiceInstances.class);
  private static final long TTL_NANOS = 1_000_000_000L;

  private record Cached(List<URI> instances, long readAt) {}

  private final DiscoveryClient discovery;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ServiceInstances(DiscoveryClient discovery) {
    this.discovery = discovery;
  }

  /** Every live instance of {@code service}, in a stable order. */
  public List<URI> of(String service) {
    Cached cached = cache.get(service);
    if (cached != null && System.nanoTime() - cached.readAt() < TTL_NANOS) {
      return cached.instances();
    }
    try {
      List<URI> instances =
          discovery.getInstances(service).stream()
              .map(ServiceInstance::getUri)
              .sorted(Comparator.comparing(URI::toString))
              .toList();
      cache.put(service, new Cached(instances, System.nanoTime()));
      return instances;
    } catch (RuntimeException e) {
      log.warn("cannot read instances of {} from discovery: {}", service, e.toString());
      return cached == null ? List.of() : cached.instances();
    }
  }

  /**
   * All live instances in a fresh random order: the first to call, the rest to fall through to when
   * a connection is refused (an instance killed but still registered).
   */
  public List<URI> shuffled(String service) {
    List<URI> instances = new ArrayList<>(of(service));
    if (instances.isEmpty()) {
      throw new NoInstanceException(service);
    }
    Collections.shuffle(instances, ThreadLocalRandom.current());
    return instances;
  }

  /**
   * All live instances, the one {@code key} prefers first (rendezvous hashing): the same key goes
   * to the same instance while it lives, so per-key state there (a cached lease) stays warm, and
   * when it dies only its keys move. Callers fall through the list on refused connections.
   */
  public List<URI> byAffinity(String service, String key) {
    List<URI> instances = of(service);
    if (instances.isEmpty()) {
      throw new NoInstanceException(service);
    }
    return instances.stream()
        .sorted(Comparator.comparingLong((URI uri) -> KeyHash.of(key + "\n" + uri)).reversed())
        .toList();
  }

  /** No instance of a service is registered. */
  public static final class NoInstanceException extends RuntimeException {
    public NoInstanceException(String service) {
      super("no " + service + " instance is registered");
    }
  }
}
