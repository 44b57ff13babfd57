package dev.faultline.gateway.balancing.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** How a route picks the instance for one request. */
public sealed interface BalancingPolicy
    permits RoundRobin, RandomChoice, LeastOutstanding, BoundedLoadHashing {
  /**
   * The instance for a request with affinity {@code key} (null: the request has none) among {@code
   * candidates}, which is never empty.
   */
  Candidate choose(List<Candidate> candidates, @Nullable String key);

  /** The policy a route's configuration names: {@code round-robin}, {@code random}, ... */
  static BalancingPolicy named(String name, double epsilon) {
    return switch (name) {
      case "round-robin" -> new RoundRobin();
      case "random" -> new RandomChoice(java.util.random.RandomGenerator.getDefault());
      case "least-outstanding" ->
          new LeastOutstanding(java.util.random.RandomGenerator.getDefault());
      case "bounded-load-hashing" ->
          new BoundedLoadHashing(
              epsilon,
              BoundedLoadHashing.VIRTUAL_NODES,
              new LeastOutstanding(java.util.random.RandomGenerator.getDefault()));
      default ->
          throw new IllegalArgumentException(
              "unknown balancing policy '"
                  + name
                  + "' (round-robin, random, least-outstanding, bounded-load-hashing)");
    };
  }
}
