package dev.faultline.bench.gateway;

import dev.faultline.bench.Bench;
import dev.faultline.bench.RunningSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code bin/bench overload}: against the running local suite, two gateways of the bench's own in
 * front of the same two order-service instances, one with spillover (the default: a concurrency
 * limit per instance, a short brief queue, then a fast 503) and one with the unsafe surge queue
 * (the same limits, then thousands of requests waiting up to 30 s). Users read a missing order (404
 * is the good answer) as customers picked at random, arriving as a Poisson stream at 0.5× to 4× the
 * suite's capacity (measured first, closed-loop, through the spillover gateway), each configuration
 * in turn at each load, so both see the same machine. Goodput is answers within the bound (500 ms,
 * the read SLO's); admitted p99 is over every request the gateway did not refuse (a request that
 * timed out counts as the timeout).
 */
public final class OverloadBench {
  private static final double[] LOADS = {0.5, 1, 1.5, 2, 3, 4};
  private static final String[] MISSING_ORDERS = {
    "00000000-0000-4000-8000-000000000001",
    "00010000-0000-4000-8000-000000000002",
    "20000000-0000-4000-8000-000000000003",
    "3fff0000-0000-4000-8000-000000000004"
  };

  private OverloadBench() {}

  record Row(double load, String config, double offered, Load.Tally tally) {}

  public static void run(String[] args) throws Exception {
    int seconds = Math.clamp(Bench.intArg(args, "--seconds", 15), 5, 120);
    int customers = Math.clamp(Bench.intArg(args, "--customers", 500), 1, 5_000);
    Duration bound = Duration.ofMillis(Bench.intArg(args, "--bound-ms", 500));
    Duration timeout = Duration.ofMillis(Bench.intArg(args, "--timeout-ms", 2_000));
    double[] loads = loads(args);
    java.nio.file.Path profiles = profileDir(args);
    RunningSuite suite = RunningSuite.fromEnvironment();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      tokens.add(suite.customerToken("bench-overload-" + i));
    }
    int port = suite.ports().gateway() + 90;
    System.out.printf(
        Locale.ROOT,
        "overload: two gateways of the bench's own on %d and %d in front of the suite's services;"
            + " %d customers; %d s per step; goodput = 404 within %d ms; clients give up at %d ms%n",
        port,
        port + 1,
        customers,
        seconds,
        bound.toMillis(),
        timeout.toMillis());
    try (BenchGateway spill =
            BenchGateway.start(suite, "bench-gateway-spillover", port, List.of());
        BenchGateway queue =
            BenchGateway.start(
                suite,
                "bench-gateway-surge-queue",
                port + 1,
                List.of("--faultline.gateway.admission.unsafe-surge-queue=true"))) {
      Load load = new Load(404, timeout, bound); // closed when the bench's JVM exits
      Map<String, BenchGateway> configs = new LinkedHashMap<>();
      configs.put("spillover", spill);
      configs.put("surge queue", queue);
      // Warm up both (JIT, connection pools, the limits finding their level) with an open load.
      for (int round = 0; round < 2; round++) {
        for (BenchGateway g : configs.values()) {
          load.open(g.uri(), reads(tokens), 300, Duration.ofSeconds(10));
        }
      }
      // Capacity: what the suite answers with clients enough to keep it busy, through the queue
      // (nothing refused, the instances at their limits).
      double capacity = 0;
      for (int clients : new int[] {32, 64, 96}) {
        Load.Tally t = load.closed(queue.uri(), reads(tokens), clients, Duration.ofSeconds(10));
        double answered = (t.count(Load.Outcome.GOOD) + t.count(Load.Outcome.LATE)) / t.seconds();
        capacity = Math.max(capacity, answered);
        System.out.printf(
            Locale.ROOT,
            "overload: capacity probe, %d closed-loop clients: %.0f answers/s, p50 %.1f ms, p99"
                + " %.1f ms%n",
            clients,
            answered,
            t.admittedMillis(50),
            t.admittedMillis(99));
      }
      System.out.printf(Locale.ROOT, "overload: capacity %.0f reads/s%n", capacity);

      List<Row> rows = new ArrayList<>();
      for (double factor : loads) {
        for (var config : configs.entrySet()) {
          double rate = factor * capacity;
          if (profiles != null) {
            config
                .getValue()
                .startProfile(
                    profiles.resolve(config.getKey().replace(' ', '-') + "-" + factor + "x.jfr"));
          }
          long cpuBefore = cpuNanos();
          long gatewayBefore = config.getValue().cpuNanos();
          Load.Tally t =
              load.open(config.getValue().uri(), reads(tokens), rate, Duration.ofSeconds(seconds));
          if (profiles != null) {
            config.getValue().stopProfile();
          }
          double generatorCores = (cpuNanos() - cpuBefore) / 1e9 / t.seconds();
          double gatewayCores = (config.getValue().cpuNanos() - gatewayBefore) / 1e9 / t.seconds();
          rows.add(new Row(factor, config.getKey(), rate, t));
          System.out.printf(
              Locale.ROOT,
              "overload: %.1fx %-11s offered %5.0f/s goodput %5.0f/s shed %4.1f%% admitted p99 %6.1f ms"
                  + " timeouts %d, max in flight %d; cores used: load generator %.2f, gateway %.2f;"
                  + " limits now %.0f and %.0f%n",
              factor,
              config.getKey(),
              rate,
              t.rate(Load.Outcome.GOOD),
              100.0 * t.count(Load.Outcome.SHED) / Math.max(1, t.total()),
              t.admittedMillis(99),
              t.count(Load.Outcome.TIMEOUT),
              t.maxInFlight(),
              generatorCores,
              gatewayCores,
              config.getValue().metric("gateway_upstream_limit", "upstream=\"order-service-1\""),
              config.getValue().metric("gateway_upstream_limit", "upstream=\"order-service-2\""));
          // The surge queue leaves work behind (requests its services still run for clients who
          // left): the next step starts once every gateway is idle, so it meets none of it.
          for (BenchGateway g : configs.values()) {
            g.awaitIdle(Duration.ofSeconds(60));
          }
          Thread.sleep(2_000);
        }
      }
      table(rows, capacity, bound);
      verdict(rows, loads);
      System.out.printf(
          Locale.ROOT,
          "overload: the spillover gateway refused %.0f requests (concurrency-limit %.0f, of which"
              + " %.0f at the door; queue-timeout %.0f); the surge-queue gateway %.0f%n",
          spill.metric("gateway_rejections_total", "service=\"order-service\""),
          spill.metric("gateway_rejections_total", "cause=\"concurrency-limit\""),
          spill.metric("gateway_shed_at_door_total", "service=\"order-service\""),
          spill.metric("gateway_rejections_total", "cause=\"queue-timeout\""),
          queue.metric("gateway_rejections_total", "service=\"order-service\""));
    }
  }

  /** {@code --loads 0.5,4}: the offered loads, in multiples of capacity (default 0.5 to 4). */
  private static double[] loads(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--loads")) {
        return java.util.Arrays.stream(args[i + 1].split(","))
            .mapToDouble(Double::parseDouble)
            .filter(f -> f > 0 && f <= 8)
            .toArray();
      }
    }
    return LOADS;
  }

  /** {@code --profile DIR}: a JFR recording of the gateway during each step, into DIR. */
  private static java.nio.file.@org.jspecify.annotations.Nullable Path profileDir(String[] args)
      throws java.io.IOException {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--profile")) {
        java.nio.file.Path dir = java.nio.file.Path.of(args[i + 1]).toAbsolutePath();
        java.nio.file.Files.createDirectories(dir);
        return dir;
      }
    }
    return null;
  }

  /** CPU this process (the load generator) has used. */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static Supplier<Load.Call> reads(List<String> tokens) {
    return () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      return new Load.Call(
          "/api/orders/" + MISSING_ORDERS[random.nextInt(MISSING_ORDERS.length)],
          tokens.get(random.nextInt(tokens.size())));
    };
  }

  private static void table(List<Row> rows, double capacity, Duration bound) {
    double peak = peak(rows, "spillover");
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| load | gateway | offered/s | goodput/s | goodput / spillover peak | admitted p50 ms |"
            + " admitted p99 ms | fast 503s | late (> %d ms) | timed out |%n",
        bound.toMillis());
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      Load.Tally t = r.tally();
      System.out.printf(
          Locale.ROOT,
          "| %.1f× | %s | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f%% | %.1f%% | %.1f%% |%n",
          r.load(),
          r.config(),
          r.offered(),
          t.rate(Load.Outcome.GOOD),
          t.rate(Load.Outcome.GOOD) / peak,
          t.admittedMillis(50),
          t.admittedMillis(99),
          share(t, Load.Outcome.SHED),
          share(t, Load.Outcome.LATE),
          share(t, Load.Outcome.TIMEOUT));
    }
    System.out.printf(Locale.ROOT, "%ncapacity (closed loop): %.0f reads/s%n", capacity);
  }

  private static void verdict(List<Row> rows, double[] loads) {
    double peak = peak(rows, "spillover");
    Row low = find(rows, "spillover", loads[0]);
    Row high = find(rows, "spillover", loads[loads.length - 1]);
    Row queued = find(rows, "surge queue", loads[loads.length - 1]);
    double goodput = high.tally().rate(Load.Outcome.GOOD) / peak;
    double p99 = high.tally().admittedMillis(99) / low.tally().admittedMillis(99);
    System.out.printf(
        Locale.ROOT,
        "overload: spillover at %.1f×: goodput %.2f of its peak (goal ≥ 0.90), admitted p99 %.2f×"
            + " its value at %.1f× (goal ≤ 2); surge queue at %.1f×: goodput %.2f of the spillover"
            + " peak%n",
        high.load(),
        goodput,
        p99,
        low.load(),
        high.load(),
        queued.tally().rate(Load.Outcome.GOOD) / peak);
  }

  private static double peak(List<Row> rows, String config) {
    return rows.stream()
        .filter(r -> r.config().equals(config))
        .mapToDouble(r -> r.tally().rate(Load.Outcome.GOOD))
        .max()
        .orElse(1);
  }

  private static Row find(List<Row> rows, String config, double load) {
    return rows.stream()
        .filter(r -> r.config().equals(config) && r.load() == load)
        .findFirst()
        .orElseThrow();
  }

  private static double share(Load.Tally t, Load.Outcome o) {
    return 100.0 * t.count(o) / Math.max(1, t.total());
  }
}
