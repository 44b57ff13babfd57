package dev.faultline.gateway.balancing.policy;

import dev.faultline.ring.KeyHash;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018): a key goes to
 * the first instance clockwise from its hash on a ring of virtual nodes, unless that instance
 * already carries its share, {@code ceil((1 + ε) · (requests in flight + 1) / instances)}, or is at
 * its concurrency limit; then to the next one on the ring that does not. So one customer's or one
 * lock's requests stay on one instance (its caches, its connections, its leases) while it is not
 * overloaded, no instance ever carries more than (1 + ε) times the mean, and when an instance
 * leaves only the keys it held move. The share is counted over the instances that can take work (a
 * full one is at its own limit already). A request without a key goes to {@code keyless}.
 */
public final class BoundedLoadHashing implements BalancingPolicy {
  /** Points per instance: enough for an even ring with a handful of instances. */
  static final int VIRTUAL_NODES = 100;

  /** Rings kept for recent memberships: a service's instances change rarely. */
  private static final int RINGS_KEPT = 16;

  private final double epsilon;
  private final int virtualNodes;
  private final BalancingPolicy keyless;
  private final Map<List<String>, Ring> rings = new ConcurrentHashMap<>();

  public BoundedLoadHashing(double epsilon, int virtualNodes, BalancingPolicy keyless) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("ε must be above 0, got " + epsilon);
    }
    if (virtualNodes < 1) {
      throw new IllegalArgumentException("at least one virtual node per instance");
    }
    this.epsilon = epsilon;
    this.virtualNodes = virtualNodes;
    this.keyless = keyless;
  }

  /** The most requests an instance may carry, counting the one being placed. */
  static int bound(double epsilon, int inFlight, int instances) {
    return (int) Math.ceil((1 + epsilon) * (inFlight + 1) / instances);
  }

  @Override
  public Optional<Candidate> choose(List<Candidate> candidates, @Nullable String key) {
    if (key == null) {
      return keyless.choose(candidates, null);
    }
    Map<String, Candidate> byId = new HashMap<>();
    int open = 0;
    int inFlight = 0;
    for (Candidate c : candidates) {
      byId.put(c.id(), c);
      if (c.open()) {
        open++;
        inFlight += c.inFlight();
      }
    }
    if (open == 0) {
      return Optional.empty();
    }
    int bound = bound(epsilon, inFlight, open);
    Ring ring = ringOf(candidates);
    // The open instances carry less than open × bound in all, so one of them is under it.
    int start = ring.firstAtOrAfter(hash(key));
    for (int i = 0; i < ring.owners.length; i++) {
      Candidate owner = byId.get(ring.owners[(start + i) % ring.owners.length]);
      if (owner.open() && owner.inFlight() < bound) {
        return Optional.of(owner);
      }
    }
    throw new IllegalStateException("no open instance under the bound " + bound); // cannot happen
  }

  /** The key's home: the first instance on the ring from its hash, whatever its load. */
  public Optional<Candidate> home(List<Candidate> candidates, String key) {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    Ring ring = ringOf(candidates);
    String id = ring.owners[ring.firstAtOrAfter(hash(key))];
    return candidates.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  private Ring ringOf(List<Candidate> candidates) {
    List<String> ids = candidates.stream().map(Candidate::id).sorted().toList();
    Ring known = rings.get(ids);
    if (known != null) {
      return known;
    }
    record Point(long at, String owner) {}
    Point[] all = new Point[ids.size() * virtualNodes];
    int k = 0;
    for (String id : ids) {
      for (int v = 0; v < virtualNodes; v++) {
        all[k++] = new Point(hash(id + "#" + v), id);
      }
    }
    Arrays.sort(all, (a, b) -> Long.compareUnsigned(a.at(), b.at()));
    long[] points = new long[all.length];
    String[] owners = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      points[i] = all[i].at();
      owners[i] = all[i].owner();
    }
    if (rings.size() >= RINGS_KEPT) {
      rings.clear(); // membership churned: start again from the sets in use now
    }
    Ring built = new Ring(points, owners);
    rings.put(ids, built);
    return built;
  }

  /** The ring for one set of instances: points in unsigned order, and whose each point is. */
  private record Ring(long[] points, String[] owners) {
    int firstAtOrAfter(long hash) {
      int lo = 0;
      int hi = points.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (Long.compareUnsigned(points[mid], hash) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo == points.length ? 0 : lo;
    }
  }

  /** The shard ring's key hash (MurmurHash3 x64, first 64 bits): stable across processes. */
  static long hash(String text) {
    return KeyHash.of(text);
  }
}
