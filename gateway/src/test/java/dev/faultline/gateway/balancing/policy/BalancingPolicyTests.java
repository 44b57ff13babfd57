package dev.faultline.gateway.balancing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BalancingPolicyTests {
  private static List<Candidate> idle(String... ids) {
    return java.util.Arrays.stream(ids).map(id -> new Candidate(id, 0)).toList();
  }

  @Test
  void roundRobinTakesEachInstanceInTurnWhateverOrderDiscoveryListsThem() {
    RoundRobin policy = new RoundRobin();
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<Candidate> listed = i % 2 == 0 ? idle("a", "b", "c") : idle("c", "a", "b");
      chosen.add(policy.choose(listed, null).id());
    }
    assertThat(chosen).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void leastOutstandingNeverPicksTheBusierOfTwo() {
    LeastOutstanding policy = new LeastOutstanding(new SplittableRandom(1));
    List<Candidate> two = List.of(new Candidate("busy", 9), new Candidate("idle", 1));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.choose(two, null).id()).isEqualTo("idle");
    }
    // Of three, the busiest is never one of the two drawn and chosen: it loses every pairing.
    List<Candidate> three =
        List.of(new Candidate("a", 5), new Candidate("b", 0), new Candidate("c", 2));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(policy.choose(three, null).id(), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey("a");
    assertThat(counts.get("b")).isGreaterThan(counts.get("c")); // b wins 2 of 3 pairings, c 1
  }

  @Test
  void randomChoiceSpreadsOverEveryInstance() {
    RandomChoice policy = new RandomChoice(new SplittableRandom(2));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(policy.choose(idle("a", "b", "c"), null).id(), 1, Integer::sum);
    }
    assertThat(counts.values()).allMatch(n -> n > 800 && n < 1_200);
  }

  @Test
  void aKeyStaysOnOneInstanceWhileItIsUnderItsBound() {
    BoundedLoadHashing policy = bounded(0.25);
    List<Candidate> instances = idle("order-service-1", "order-service-2", "order-service-3");
    for (int k = 0; k < 50; k++) {
      String key = "customer-" + k;
      String first = policy.choose(instances, key).id();
      for (int i = 0; i < 5; i++) {
        assertThat(policy.choose(instances, key).id()).isEqualTo(first);
      }
    }
  }

  @Test
  void noInstanceEverCarriesMoreThanItsBoundUnderASkewedLoad() {
    // Zipf-distributed keys: a few customers send most requests. Requests arrive and finish at
    // random; at every placement the chosen instance carries at most (1 + ε) times the mean,
    // counted with the new request, however hot its key.
    for (double epsilon : new double[] {0.1, 0.25, 1.0}) {
      BoundedLoadHashing policy = bounded(epsilon);
      RandomGenerator random = new SplittableRandom(7);
      Map<String, Integer> load = new LinkedHashMap<>();
      for (String id : List.of("i-1", "i-2", "i-3", "i-4")) {
        load.put(id, 0);
      }
      List<String> inFlight = new ArrayList<>();
      Zipf zipf = new Zipf(1_000, 1.1);
      for (int step = 0; step < 20_000; step++) {
        if (!inFlight.isEmpty() && random.nextInt(100) < 45) {
          load.merge(inFlight.remove(random.nextInt(inFlight.size())), -1, Integer::sum);
          continue;
        }
        List<Candidate> candidates = new ArrayList<>();
        load.forEach((id, n) -> candidates.add(new Candidate(id, n)));
        int bound = BoundedLoadHashing.bound(epsilon, inFlight.size(), load.size());
        String chosen = policy.choose(candidates, "customer-" + zipf.next(random)).id();
        load.merge(chosen, 1, Integer::sum);
        inFlight.add(chosen);
        assertThat(load.get(chosen)).as("ε %s", epsilon).isLessThanOrEqualTo(bound);
      }
    }
  }

  @Test
  void whenAnInstanceLeavesOnlyTheKeysItHeldMove() {
    BoundedLoadHashing policy = bounded(0.25);
    List<Candidate> three = idle("a", "b", "c");
    List<Candidate> two = idle("a", "c");
    int moved = 0;
    int onB = 0;
    for (int k = 0; k < 3_000; k++) {
      String key = "lock-" + k;
      String before = policy.choose(three, key).id();
      String after = policy.choose(two, key).id();
      if (before.equals("b")) {
        onB++;
        assertThat(after).isIn("a", "c");
      } else {
        assertThat(after).as(key).isEqualTo(before);
      }
      moved += before.equals(after) ? 0 : 1;
    }
    assertThat(moved).isEqualTo(onB);
    assertThat(onB).isBetween(700, 1_300); // about a third: the ring is even
  }

  @Test
  void aRequestWithoutAKeyGoesToTheKeylessPolicy() {
    BoundedLoadHashing policy = new BoundedLoadHashing(0.25, 100, new RoundRobin());
    assertThat(policy.choose(idle("a", "b"), null).id()).isEqualTo("a");
    assertThat(policy.choose(idle("a", "b"), null).id()).isEqualTo("b");
  }

  @Test
  void policiesAreNamedInConfigurationAndAnUnknownNameIsRefused() {
    assertThat(BalancingPolicy.named("round-robin", 0.25)).isInstanceOf(RoundRobin.class);
    assertThat(BalancingPolicy.named("random", 0.25)).isInstanceOf(RandomChoice.class);
    assertThat(BalancingPolicy.named("least-outstanding", 0.25))
        .isInstanceOf(LeastOutstanding.class);
    assertThat(BalancingPolicy.named("bounded-load-hashing", 0.25))
        .isInstanceOf(BoundedLoadHashing.class);
    assertThatThrownBy(() -> BalancingPolicy.named("least-connections", 0.25))
        .hasMessageContaining("unknown balancing policy");
    assertThatThrownBy(() -> new BoundedLoadHashing(0, 100, new RoundRobin()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static BoundedLoadHashing bounded(double epsilon) {
    return new BoundedLoadHashing(
        epsilon, BoundedLoadHashing.VIRTUAL_NODES, new LeastOutstanding(new SplittableRandom(3)));
  }

  /** Ranks 1..n with probability proportional to 1/rank^s. */
  private static final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int rank = 1; rank <= n; rank++) {
        sum += 1 / Math.pow(rank, s);
        cumulative[rank - 1] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int next(RandomGenerator random) {
      double u = random.nextDouble();
      int i = java.util.Arrays.binarySearch(cumulative, u);
      return (i >= 0 ? i : -i - 1) + 1;
    }
  }
}
