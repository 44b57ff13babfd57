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
    return java.util.Arrays.stream(ids).map(id -> Candidate.unlimited(id, 0)).toList();
  }

  @Test
  void roundRobinTakesEachInstanceInTurnWhateverOrderDiscoveryListsThem() {
    RoundRobin policy = new RoundRobin();
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<Candidate> listed = i % 2 == 0 ? idle("a", "b", "c") : idle("c", "a", "b");
      chosen.add(policy.choose(listed, null).orElseThrow().id());
    }
    assertThat(chosen).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void leastOutstandingNeverPicksTheBusierOfTwo() {
    LeastOutstanding policy = new LeastOutstanding(new SplittableRandom(1));
    List<Candidate> two = List.of(Candidate.unlimited("busy", 9), Candidate.unlimited("idle", 1));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.choose(two, null).orElseThrow().id()).isEqualTo("idle");
    }
    // Of three, the busiest is never one of the two drawn and chosen: it loses every pairing.
    List<Candidate> three =
        List.of(
            Candidate.unlimited("a", 5), Candidate.unlimited("b", 0), Candidate.unlimited("c", 2));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(policy.choose(three, null).orElseThrow().id(), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey("a");
    assertThat(counts.get("b")).isGreaterThan(counts.get("c")); // b wins 2 of 3 pairings, c 1
  }

  @Test
  void randomChoiceSpreadsOverEveryInstance() {
    RandomChoice policy = new RandomChoice(new SplittableRandom(2));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(policy.choose(idle("a", "b", "c"), null).orElseThrow().id(), 1, Integer::sum);
    }
    assertThat(counts.values()).allMatch(n -> n > 800 && n < 1_200);
  }

  @Test
  void aKeyStaysOnOneInstanceWhileItIsUnderItsBound() {
    BoundedLoadHashing policy = bounded(0.25);
    List<Candidate> instances = idle("order-service-1", "order-service-2", "order-service-3");
    for (int k = 0; k < 50; k++) {
      String key = "customer-" + k;
      String first = policy.choose(instances, key).orElseThrow().id();
      for (int i = 0; i < 5; i++) {
        assertThat(policy.choose(instances, key).orElseThrow().id()).isEqualTo(first);
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
        load.forEach((id, n) -> candidates.add(Candidate.unlimited(id, n)));
        int bound = BoundedLoadHashing.bound(epsilon, inFlight.size(), load.size());
        String chosen =
            policy.choose(candidates, "customer-" + zipf.next(random)).orElseThrow().id();
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
      String before = policy.choose(three, key).orElseThrow().id();
      String after = policy.choose(two, key).orElseThrow().id();
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
    assertThat(policy.choose(idle("a", "b"), null).orElseThrow().id()).isEqualTo("a");
    assertThat(policy.choose(idle("a", "b"), null).orElseThrow().id()).isEqualTo("b");
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

  @Test
  void noPolicySendsToAFullInstanceAndEachAnswersEmptyWhenAllAreFull() {
    List<Candidate> oneFull =
        List.of(new Candidate("a", 4, 4), new Candidate("b", 9, 16), new Candidate("c", 2, 2));
    List<Candidate> allFull = List.of(new Candidate("a", 4, 4), new Candidate("b", 16, 16));
    for (String name : BalancingPolicy.NAMES) {
      BalancingPolicy policy = BalancingPolicy.named(name, 0.25);
      for (int i = 0; i < 200; i++) {
        String key = i % 2 == 0 ? null : "customer-" + i;
        assertThat(policy.choose(oneFull, key))
            .as(name)
            .get()
            .extracting(Candidate::id)
            .isEqualTo("b");
        assertThat(policy.choose(allFull, key)).as(name).isEmpty();
      }
    }
  }

  @Test
  void aKeyWhoseHomeIsFullGoesToTheNextInstanceOnTheRingAndComesBackWhenThereIsRoom() {
    BoundedLoadHashing policy = bounded(0.25);
    List<Candidate> idle = idle("a", "b", "c");
    for (int k = 0; k < 300; k++) {
      String key = "customer-" + k;
      String home = policy.home(idle, key).orElseThrow().id();
      assertThat(policy.choose(idle, key).orElseThrow().id()).isEqualTo(home);
      List<Candidate> homeFull =
          idle.stream()
              .map(
                  c ->
                      c.id().equals(home) ? new Candidate(home, 8, 8) : new Candidate(c.id(), 0, 8))
              .toList();
      String spilled = policy.choose(homeFull, key).orElseThrow().id();
      assertThat(spilled).isNotEqualTo(home);
      // Where it spills is the ring's choice, the same every time: the next instance clockwise.
      assertThat(policy.choose(homeFull, key).orElseThrow().id()).isEqualTo(spilled);
      assertThat(policy.choose(idle, key).orElseThrow().id()).isEqualTo(home);
    }
  }

  @Test
  void roundRobinPassesAFullInstancesTurnToTheNext() {
    RoundRobin policy = new RoundRobin();
    List<Candidate> bFull =
        List.of(new Candidate("a", 0, 2), new Candidate("b", 2, 2), new Candidate("c", 0, 2));
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(policy.choose(bFull, null).orElseThrow().id());
    }
    assertThat(chosen).containsExactly("a", "c", "c", "a", "c", "c");
  }

  @Test
  void aCandidateNeedsALimitOfAtLeastOne() {
    assertThatThrownBy(() -> new Candidate("a", 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThat(new Candidate("a", 1, 1).open()).isFalse();
    assertThat(new Candidate("a", 0, 1).open()).isTrue();
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
