package dev.faultline.gateway.balancing.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Each instance in turn, blind to load: a slow instance gets its share all the same. The order is
 * the instances' IDs, so a list that comes back shuffled from discovery does not skip or repeat. A
 * full instance's turn passes to the next one.
 */
public final class RoundRobin implements BalancingPolicy {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public Optional<Candidate> choose(List<Candidate> candidates, @Nullable String key) {
    List<Candidate> ordered =
        candidates.stream().sorted(Comparator.comparing(Candidate::id)).toList();
    int start = next.getAndIncrement();
    for (int i = 0; i < ordered.size(); i++) {
      Candidate c = ordered.get(Math.floorMod(start + i, ordered.size()));
      if (c.open()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
