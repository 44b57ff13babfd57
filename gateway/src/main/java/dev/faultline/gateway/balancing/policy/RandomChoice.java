package dev.faultline.gateway.balancing.policy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** One instance at random, blind to load, as round robin is, but with no shared counter. */
public final class RandomChoice implements BalancingPolicy {
  private final RandomGenerator random;

  public RandomChoice(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public Candidate choose(List<Candidate> candidates, @Nullable String key) {
    return candidates.get(random.nextInt(candidates.size()));
  }
}
