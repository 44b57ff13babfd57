package dev.faultline.gateway.balancing.policy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The less busy of two instances drawn at random (Mitzenmacher's power of two choices, Envoy's
 * least request): nearly as good as asking every instance, and no herd on the one that looks
 * idlest, which every gateway would pick at once. A broken instance that fails fast looks idle to a
 * plain least-connections policy and draws everything; here it is at most one of two, and the
 * outlier ejection takes it out.
 */
public final class LeastOutstanding implements BalancingPolicy {
  private final RandomGenerator random;

  public LeastOutstanding(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public Candidate choose(List<Candidate> candidates, @Nullable String key) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.getFirst();
    }
    int first = random.nextInt(n);
    int second = random.nextInt(n - 1);
    if (second >= first) {
      second++; // two distinct instances
    }
    Candidate a = candidates.get(first);
    Candidate b = candidates.get(second);
    return b.inFlight() < a.inFlight() ? b : a;
  }
}
