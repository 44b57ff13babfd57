package dev.faultline.bench.gateway;

import dev.faultline.bench.Bench;
import dev.faultline.bench.RunningSuite;
import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import dev.faultline.gateway.balancing.policy.BoundedLoadHashing;
import dev.faultline.gateway.balancing.policy.LeastOutstanding;
import dev.faultline.gateway.balancing.policy.RandomChoice;
import dev.faultline.gateway.balancing.policy.RoundRobin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/bench balance}: how each balancing policy spreads a skewed load. First the policies
 * themselves in a simulation (8 instances, Zipf keys, 70% utilisation): each instance's share,
 * bounded-load hashing's largest load over the mean against its 1 + ε, latency, and how often a key
 * meets the instance it met most (what keeps a customer's caches warm). Then, if a suite runs, a
 * gateway of the bench's own per policy in front of the suite's two order-service instances: the
 * answers each instance gave ({@code Served-By}) and the same locality, for Zipf customers.
 */
public final class BalanceBench {
  private static final int INSTANCES = 8;

  private BalanceBench() {}

  public static void run(String[] args) throws Exception {
    int requests = Math.clamp(Bench.intArg(args, "--requests", 200_000), 10_000, 2_000_000);
    BalanceSimulation.Settings settings =
        new BalanceSimulation.Settings(INSTANCES, 4, 10, 0.7, 10_000, 1.1);
    double top = new BalanceSimulation.Zipf(settings.keys(), settings.zipf()).top();
    System.out.printf(
        Locale.ROOT,
        "balance: simulation, %d instances of %d slots, 10 ms mean service, %.0f%% utilisation,"
            + " %d requests, keys Zipf(%.1f) over %d customers (the hottest sends %.1f%%)%n",
        settings.instances(),
        settings.slots(),
        100 * settings.utilisation(),
        requests,
        settings.zipf(),
        settings.keys(),
        100 * top);
    // The unbounded policies are held against ε = 0.25, the gateway's default.
    record Policy(BalancingPolicy policy, double epsilon) {}
    Map<String, Policy> policies = new LinkedHashMap<>();
    policies.put("round-robin", new Policy(new RoundRobin(), 0.25));
    policies.put("random", new Policy(new RandomChoice(new SplittableRandom(1)), 0.25));
    policies.put(
        "least-outstanding", new Policy(new LeastOutstanding(new SplittableRandom(2)), 0.25));
    policies.put("consistent hashing, no bound", new Policy(bounded(1e6), 0.25));
    for (double epsilon : new double[] {1.0, 0.5, 0.25, 0.1}) {
      policies.put("bounded-load-hashing ε=" + epsilon, new Policy(bounded(epsilon), epsilon));
    }
    System.out.println();
    System.out.println(
        "| policy | busiest instance's requests / mean | max load / mean (mean ≥ 2) | 1 + ε |"
            + " placements over ceil((1 + ε)·mean) | p50 ms | p99 ms | requests on their key's"
            + " usual instance |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (var p : policies.entrySet()) {
      BalanceSimulation.Result r =
          BalanceSimulation.run(
              p.getKey(), p.getValue().policy(), p.getValue().epsilon(), settings, requests, 42);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f | %.2f | %.2f | %d | %.1f | %.1f | %.1f%% |%n",
          r.policy(),
          r.busiestShare(),
          r.maxOverMean(),
          1 + p.getValue().epsilon(),
          r.overBound(),
          r.p50Ms(),
          r.p99Ms(),
          100 * r.keyLocality());
    }

    if (args.length > 0 && List.of(args).contains("--simulation-only")) {
      return;
    }
    throughGateways(Bench.intArg(args, "--seconds", 10));
  }

  private static BoundedLoadHashing bounded(double epsilon) {
    return new BoundedLoadHashing(epsilon, 100, new LeastOutstanding(new SplittableRandom(3)));
  }

  /** Each policy in a gateway of its own, before the suite's order-service instances. */
  private static void throughGateways(int seconds) throws Exception {
    RunningSuite suite = RunningSuite.fromEnvironment();
    int customers = 1_000;
    BalanceSimulation.Zipf zipf = new BalanceSimulation.Zipf(customers, 1.1);
    List<String> tokens = new ArrayList<>();
    for (int i = 1; i <= customers; i++) {
      tokens.add(suite.customerToken("bench-balance-" + i));
    }
    System.out.printf(
        Locale.ROOT,
        "%nbalance: through a gateway per policy before the suite's order-service instances: 8"
            + " closed-loop clients for %d s, reads of a missing order by Zipf(1.1) customers of"
            + " %d%n%n",
        seconds,
        customers);
    System.out.println(
        "| policy | answers | share per instance (Served-By) | requests on their customer's usual"
            + " instance |");
    System.out.println("|---|---:|---|---:|");
    int port = suite.ports().gateway() + 92;
    for (String policy : BalancingPolicy.NAMES) {
      try (BenchGateway gateway =
          BenchGateway.start(
              suite,
              "bench-gateway-" + policy,
              port,
              List.of(
                  "--faultline.gateway.balancing.routes.orders.policy=" + policy,
                  "--faultline.gateway.rate-limit.enabled=false"))) {
        closedLoop(gateway.uri(), tokens, zipf, 8, Duration.ofSeconds(2)); // warm up
        Map<String, Map<String, Long>> seen =
            closedLoop(gateway.uri(), tokens, zipf, 8, Duration.ofSeconds(seconds));
        Map<String, Long> perInstance = new TreeMap<>();
        long total = 0;
        long local = 0;
        for (Map<String, Long> instances : seen.values()) {
          instances.forEach((i, n) -> perInstance.merge(i, n, Long::sum));
          total += instances.values().stream().mapToLong(Long::longValue).sum();
          local += instances.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
        StringBuilder shares = new StringBuilder();
        for (var e : perInstance.entrySet()) {
          shares.append(shares.isEmpty() ? "" : ", ");
          shares.append(
              String.format(
                  Locale.ROOT, "%s %.1f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)));
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %s | %.1f%% |%n",
            policy,
            total,
            shares,
            100.0 * local / Math.max(1, total));
      }
    }
  }

  /** Per customer, which instance answered how often. */
  private static Map<String, Map<String, Long>> closedLoop(
      URI gateway, List<String> tokens, BalanceSimulation.Zipf zipf, int clients, Duration duration)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Map<String, Map<String, AtomicLong>> seen = new ConcurrentHashMap<>();
    long end = System.nanoTime() + duration.toNanos();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        long seed = c;
        pool.submit(
            () -> {
              SplittableRandom random = new SplittableRandom(seed);
              while (System.nanoTime() < end) {
                int customer = zipf.next(random);
                HttpResponse<Void> answer =
                    http.send(
                        HttpRequest.newBuilder(
                                gateway.resolve("/api/orders/00000000-0000-4000-8000-000000000001"))
                            .header("Authorization", "Bearer " + tokens.get(customer - 1))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.discarding());
                answer
                    .headers()
                    .firstValue("Served-By")
                    .ifPresent(
                        instance ->
                            seen.computeIfAbsent("c" + customer, k -> new ConcurrentHashMap<>())
                                .computeIfAbsent(instance, k -> new AtomicLong())
                                .incrementAndGet());
              }
              return null;
            });
      }
    }
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    seen.forEach(
        (customer, instances) -> {
          Map<String, Long> m = new TreeMap<>();
          instances.forEach((i, n) -> m.put(i, n.get()));
          counts.put(customer, m);
        });
    return counts;
  }
}
