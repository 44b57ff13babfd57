package dev.faultline.gateway.balancing.policy;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The less busy of two open instances drawn at random (Mitzenmacher's power of two choices, Envoy's
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
  public Optional<Candidate> choose(List<Candidate> candidates, @Nullable String key) {
    List<Candidate> open = BalancingPolicy.open(candidates);
    int n = open.size();
    if (n <= 1) {
      return open.stream().findFirst();
    }
    int first = random.nextInt(n);
    int second = random.nextInt(n - 1);
    if (second >= first) {
      second++; // two distinct instances
    }
    Candidate a = open.get(first);
    Candidate b = open.get(second);
    return Optional.of(b.inFlight() < a.inFlight() ? b : a);
  }
}
