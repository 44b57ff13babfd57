package dev.faultline.gateway.balancing.policy;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** One open instance at random, blind to load, as round robin is, but with no shared counter. */
public final class RandomChoice implements BalancingPolicy {
  private final RandomGenerator random;

  public RandomChoice(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public Optional<Candidate> choose(List<Candidate> candidates, @Nullable String key) {
    List<Candidate> open = BalancingPolicy.open(candidates);
    return open.isEmpty() ? Optional.empty() : Optional.of(open.get(random.nextInt(open.size())));
  }
}
