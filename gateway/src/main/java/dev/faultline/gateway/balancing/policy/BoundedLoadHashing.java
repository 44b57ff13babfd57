package dev.faultline.gateway.balancing.policy;

import dev.faultline.ring.KeyHash;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, 2018): a key goes to
 * the first instance clockwise from its hash on a ring of virtual nodes, unless that instance
 * already carries its share, {@code ceil((1 + ε) · (requests in flight + 1) / instances)}; then to
 * the next one on the ring that does not. So one customer's or one lock's requests stay on one
 * instance (its caches, its connections) while it is not overloaded, no instance ever carries more
 * than (1 + ε) times the mean, and when an instance leaves only the keys it held move. A request
 * without a key goes to {@code keyless}.
 */
public final class BoundedLoadHashing implements BalancingPolicy {
  /** Points per instance: enough for an even ring with a handful of instances. */
  static final int VIRTUAL_NODES = 100;

  private final double epsilon;
  private final int virtualNodes;
  private final BalancingPolicy keyless;
  private volatile Ring ring = new Ring(List.of(), new long[0], new String[0]);

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
  public Candidate choose(List<Candidate> candidates, @Nullable String key) {
    if (key == null) {
      return keyless.choose(candidates, null);
    }
    Map<String, Candidate> byId = new HashMap<>();
    int inFlight = 0;
    for (Candidate c : candidates) {
      byId.put(c.id(), c);
      inFlight += c.inFlight();
    }
    int bound = bound(epsilon, inFlight, candidates.size());
    Ring current = ringOf(candidates);
    // The total is below instances × bound, so some instance is under it: the walk ends.
    int start = current.firstAtOrAfter(hash(key));
    for (int i = 0; i < current.owners.length; i++) {
      Candidate owner = byId.get(current.owners[(start + i) % current.owners.length]);
      if (owner.inFlight() < bound) {
        return owner;
      }
    }
    throw new IllegalStateException("no instance under the bound " + bound); // cannot happen
  }

  private Ring ringOf(List<Candidate> candidates) {
    List<String> ids = candidates.stream().map(Candidate::id).sorted().toList();
    Ring known = ring;
    if (known.ids.equals(ids)) {
      return known;
    }
    long[] points = new long[ids.size() * virtualNodes];
    String[] owners = new String[points.length];
    record Point(long at, String owner) {}
    Point[] all = new Point[points.length];
    int k = 0;
    for (String id : ids) {
      for (int v = 0; v < virtualNodes; v++) {
        all[k++] = new Point(hash(id + "#" + v), id);
      }
    }
    Arrays.sort(all, (a, b) -> Long.compareUnsigned(a.at(), b.at()));
    for (int i = 0; i < all.length; i++) {
      points[i] = all[i].at();
      owners[i] = all[i].owner();
    }
    Ring built = new Ring(ids, points, owners);
    ring = built;
    return built;
  }

  /** The ring for one set of instances: points in unsigned order, and whose each point is. */
  private record Ring(List<String> ids, long[] points, String[] owners) {
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
