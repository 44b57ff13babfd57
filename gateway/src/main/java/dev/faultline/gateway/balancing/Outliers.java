package dev.faultline.gateway.balancing;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Passive health of each service's instances, as the gateway sees them: consecutive transport
 * failures, and the ejection they earned. Nothing here probes; an ejected instance comes back when
 * its interval ends, and one more failure sends it out again for twice as long, while one success
 * clears its record. Discovery stays the source of membership: an instance it no longer lists is
 * forgotten.
 */
public final class Outliers {
  private final OutlierPolicy policy;
  private final LongSupplier nanoTime;
  private final Map<String, Map<String, Health>> services = new ConcurrentHashMap<>();

  public Outliers(OutlierPolicy policy, LongSupplier nanoTime) {
    this.policy = policy;
    this.nanoTime = nanoTime;
  }

  /** A transport failure: the ejection it starts, if it starts one. */
  public Optional<Duration> failed(String service, String instance) {
    Health health = instances(service).computeIfAbsent(instance, i -> new Health());
    synchronized (health) {
      long now = nanoTime.getAsLong();
      if (health.out(now)) {
        return Optional.empty(); // a request chosen before the ejection: already counted
      }
      health.consecutive++;
      if (health.consecutive < policy.consecutiveFailures()) {
        return Optional.empty();
      }
      health.ejections++;
      Duration ejection = policy.ejection(health.ejections);
      health.ejectedUntil = now + ejection.toNanos();
      // Back after the interval on probation: its next failure alone ejects it again.
      health.consecutive = policy.consecutiveFailures() - 1;
      return Optional.of(ejection);
    }
  }

  /** An answer came back: the instance is reachable; its record is cleared. */
  public void succeeded(String service, String instance) {
    Map<String, Health> known = services.get(service);
    if (known != null) {
      known.remove(instance);
    }
  }

  public boolean ejected(String service, String instance) {
    Map<String, Health> known = services.get(service);
    Health health = known == null ? null : known.get(instance);
    if (health == null) {
      return false;
    }
    synchronized (health) {
      return health.out(nanoTime.getAsLong());
    }
  }

  /** How many of a service's instances are out of rotation now. */
  public int ejectedCount(String service) {
    Map<String, Health> known = services.get(service);
    return known == null
        ? 0
        : (int) known.keySet().stream().filter(instance -> ejected(service, instance)).count();
  }

  /** Forgets instances discovery no longer lists (a restarted one registers anew). */
  public void retain(String service, Collection<String> listed) {
    Map<String, Health> known = services.get(service);
    if (known != null && !known.isEmpty()) {
      known.keySet().retainAll(listed);
    }
  }

  private Map<String, Health> instances(String service) {
    return services.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
  }

  private static final class Health {
    int consecutive;
    int ejections;
    long ejectedUntil; // meaningful once ejected

    boolean out(long now) {
      return ejections > 0 && ejectedUntil - now > 0;
    }
  }
}
