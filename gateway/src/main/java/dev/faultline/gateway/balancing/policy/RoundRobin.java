package dev.faultline.gateway.balancing.policy;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Each instance in turn, blind to load: a slow instance gets its share all the same. The order is
 * the instances' IDs, so a list that comes back shuffled from discovery does not skip or repeat.
 */
public final class RoundRobin implements BalancingPolicy {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public Candidate choose(List<Candidate> candidates, @Nullable String key) {
    List<Candidate> ordered =
        candidates.stream().sorted(Comparator.comparing(Candidate::id)).toList();
    return ordered.get(Math.floorMod(next.getAndIncrement(), ordered.size()));
  }
}
