package dev.faultline.gateway.balancing.policy;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * How a route picks the instance for one request. Every policy chooses among the open candidates
 * only (those under their concurrency limit) and answers empty when none is: the gateway then
 * spills the request (a fast 503) instead of queueing it.
 */
public sealed interface BalancingPolicy
    permits RoundRobin, RandomChoice, LeastOutstanding, BoundedLoadHashing {
  /**
   * The instance for a request with affinity {@code key} (null: the request has none) among {@code
   * candidates}; empty when every candidate is full.
   */
  Optional<Candidate> choose(List<Candidate> candidates, @Nullable String key);

  /** The names configuration uses, in the order the README explains them. */
  List<String> NAMES =
      List.of("round-robin", "random", "least-outstanding", "bounded-load-hashing");

  /**
   * The policy a route's configuration names: {@code round-robin}, {@code random}, {@code
   * least-outstanding} or {@code bounded-load-hashing} (with its {@code epsilon}; its keyless
   * requests go by least outstanding).
   */
  static BalancingPolicy named(String name, double epsilon) {
    RandomGenerator random = RandomGenerator.getDefault();
    return switch (name) {
      case "round-robin" -> new RoundRobin();
      case "random" -> new RandomChoice(random);
      case "least-outstanding" -> new LeastOutstanding(random);
      case "bounded-load-hashing" ->
          new BoundedLoadHashing(
              epsilon, BoundedLoadHashing.VIRTUAL_NODES, new LeastOutstanding(random));
      default ->
          throw new IllegalArgumentException(
              "unknown balancing policy '" + name + "' (" + String.join(", ", NAMES) + ")");
    };
  }

  /** The open candidates, in the order given. */
  static List<Candidate> open(List<Candidate> candidates) {
    for (Candidate c : candidates) {
      if (!c.open()) {
        return candidates.stream().filter(Candidate::open).toList();
      }
    }
    return candidates; // the usual case: nobody full, no copy
  }
}
