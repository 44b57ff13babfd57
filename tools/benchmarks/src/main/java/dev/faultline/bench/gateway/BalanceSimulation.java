package dev.faultline.bench.gateway;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import dev.faultline.gateway.balancing.policy.Candidate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The gateway's balancing policies (the classes themselves) placing a skewed stream of requests on
 * simulated instances: Poisson arrivals, keys drawn from a Zipf distribution (a few customers send
 * most requests), each instance serving {@code slots} requests at once with exponential service
 * times and queueing the rest. What a gateway sees as an instance's load is what it has there, in
 * service or queued. Deterministic for a seed, so every policy meets the same arrivals and keys.
 */
final class BalanceSimulation {
  /** How many instances, their slots, the mean service time, the load and the keys. */
  record Settings(
      int instances, int slots, double serviceMs, double utilisation, int keys, double zipf) {}

  /**
   * One policy's figures: the busiest instance's requests over the mean; the largest load any
   * instance had at a placement over the mean load then, counted where the mean was at least 2 in
   * flight (below that one request more is a large ratio whatever the policy); placements that left
   * an instance above {@code ceil((1 + ε) · mean)} for the given ε; latency; and the share of
   * requests that met their key's usual instance.
   */
  record Result(
      String policy,
      double busiestShare,
      double maxOverMean,
      long overBound,
      double p50Ms,
      double p99Ms,
      double keyLocality) {}

  private BalanceSimulation() {}

  static Result run(
      String name, BalancingPolicy policy, double epsilon, Settings s, int requests, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Zipf zipf = new Zipf(s.keys(), s.zipf());
    double arrivalsPerMs = s.utilisation() * s.instances() * s.slots() / s.serviceMs();
    int[] load = new int[s.instances()];
    int[] busy = new int[s.instances()];
    long[] served = new long[s.instances()];
    List<ArrayDeque<double[]>> queues = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < s.instances(); i++) {
      queues.add(new ArrayDeque<>());
      ids.add("instance-" + (i + 1));
    }
    // Completions: {time, instance, arrival}.
    PriorityQueue<double[]> completions = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    double[] sojourns = new double[requests];
    Map<Integer, Map<Integer, Integer>> byKey = new HashMap<>();
    double maxOverMean = 0;
    long overBound = 0;
    double now = 0;
    int placed = 0;
    int done = 0;
    double nextArrival = exp(random, arrivalsPerMs);
    while (done < requests) {
      if (placed < requests && (completions.isEmpty() || nextArrival <= completions.peek()[0])) {
        now = nextArrival;
        int key = zipf.next(random);
        List<Candidate> candidates = new ArrayList<>(s.instances());
        int total = 0;
        for (int i = 0; i < s.instances(); i++) {
          candidates.add(Candidate.unlimited(ids.get(i), load[i]));
          total += load[i];
        }
        int i = ids.indexOf(policy.choose(candidates, "customer-" + key).orElseThrow().id());
        load[i]++;
        served[i]++;
        double mean = (total + 1.0) / s.instances();
        if (mean >= 2) {
          maxOverMean = Math.max(maxOverMean, load[i] / mean);
        }
        if (load[i] > Math.ceil((1 + epsilon) * mean)) {
          overBound++;
        }
        byKey.computeIfAbsent(key, k -> new HashMap<>()).merge(i, 1, Integer::sum);
        if (busy[i] < s.slots()) {
          busy[i]++;
          completions.add(new double[] {now + exp(random, 1 / s.serviceMs()), i, now});
        } else {
          queues.get(i).add(new double[] {now});
        }
        placed++;
        nextArrival = placed < requests ? now + exp(random, arrivalsPerMs) : Double.MAX_VALUE;
      } else {
        double[] c = completions.poll();
        now = c[0];
        int i = (int) c[1];
        sojourns[done++] = now - c[2];
        load[i]--;
        double[] waiting = queues.get(i).poll();
        if (waiting != null) {
          completions.add(new double[] {now + exp(random, 1 / s.serviceMs()), i, waiting[0]});
        } else {
          busy[i]--;
        }
      }
    }
    Arrays.sort(sojourns);
    long busiest = Arrays.stream(served).max().orElse(0);
    long local = 0;
    for (Map<Integer, Integer> instances : byKey.values()) {
      local += instances.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
    return new Result(
        name,
        busiest / (requests / (double) s.instances()),
        maxOverMean,
        overBound,
        sojourns[(int) (0.50 * requests)],
        sojourns[(int) (0.99 * requests)],
        local / (double) requests);
  }

  private static double exp(SplittableRandom random, double rate) {
    return -Math.log(1 - random.nextDouble()) / rate;
  }

  /** Ranks 1..n with probability proportional to 1/rank^s. */
  static final class Zipf {
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

    /** The share of the most frequent key. */
    double top() {
      return cumulative[0];
    }

    int next(SplittableRandom random) {
      double u = random.nextDouble();
      int i = Arrays.binarySearch(cumulative, u);
      return (i >= 0 ? i : -i - 1) + 1;
    }
  }
}
