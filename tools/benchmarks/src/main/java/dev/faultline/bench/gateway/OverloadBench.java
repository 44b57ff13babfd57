package dev.faultline.bench.gateway;

import dev.faultline.bench.Bench;
import dev.faultline.bench.RunningSuite;
import java.net.URI;
import java.net.http.HttpRequest;
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
      Load load = new Load(404, timeout, bound);
      Map<String, BenchGateway> configs = new LinkedHashMap<>();
      configs.put("spillover", spill);
      configs.put("surge queue", queue);
      for (BenchGateway g : configs.values()) {
        load.closed(reads(g.uri(), tokens), 8, Duration.ofSeconds(10)); // warm up: JIT, pools
      }
      double capacity = 0;
      for (int clients : new int[] {4, 8, 16}) {
        Load.Tally t = load.closed(reads(spill.uri(), tokens), clients, Duration.ofSeconds(8));
        capacity =
            Math.max(
                capacity, (t.count(Load.Outcome.GOOD) + t.count(Load.Outcome.LATE)) / t.seconds());
        System.out.printf(
            Locale.ROOT,
            "overload: capacity probe, %d closed-loop clients: %.0f answers/s, p50 %.1f ms, p99 %.1f ms%n",
            clients,
            (t.count(Load.Outcome.GOOD) + t.count(Load.Outcome.LATE)) / t.seconds(),
            t.admittedMillis(50),
            t.admittedMillis(99));
      }
      System.out.printf(Locale.ROOT, "overload: capacity %.0f reads/s%n", capacity);

      List<Row> rows = new ArrayList<>();
      for (double factor : LOADS) {
        for (var config : configs.entrySet()) {
          double rate = factor * capacity;
          Load.Tally t =
              load.open(reads(config.getValue().uri(), tokens), rate, Duration.ofSeconds(seconds));
          rows.add(new Row(factor, config.getKey(), rate, t));
          System.out.printf(
              Locale.ROOT,
              "overload: %.1fx %-11s offered %5.0f/s goodput %5.0f/s shed %4.1f%% admitted p99 %6.1f ms"
                  + " timeouts %d, max in flight %d%n",
              factor,
              config.getKey(),
              rate,
              t.rate(Load.Outcome.GOOD),
              100.0 * t.count(Load.Outcome.SHED) / Math.max(1, t.total()),
              t.admittedMillis(99),
              t.count(Load.Outcome.TIMEOUT),
              t.maxInFlight());
          Thread.sleep(3_000); // let queues drain and limits settle
        }
      }
      table(rows, capacity, bound);
      verdict(rows);
      System.out.printf(
          Locale.ROOT,
          "overload: the spillover gateway refused %.0f requests (concurrency-limit %.0f,"
              + " queue-timeout %.0f); the surge-queue gateway %.0f%n",
          spill.metric("gateway_rejections_total", "service=\"order-service\""),
          spill.metric("gateway_rejections_total", "cause=\"concurrency-limit\""),
          spill.metric("gateway_rejections_total", "cause=\"queue-timeout\""),
          queue.metric("gateway_rejections_total", "service=\"order-service\""));
    }
  }

  private static Supplier<HttpRequest.Builder> reads(URI gateway, List<String> tokens) {
    return () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      return HttpRequest.newBuilder(
              gateway.resolve(
                  "/api/orders/" + MISSING_ORDERS[random.nextInt(MISSING_ORDERS.length)]))
          .header("Authorization", "Bearer " + tokens.get(random.nextInt(tokens.size())));
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

  private static void verdict(List<Row> rows) {
    double peak = peak(rows, "spillover");
    Row low = find(rows, "spillover", LOADS[0]);
    Row high = find(rows, "spillover", LOADS[LOADS.length - 1]);
    Row queued = find(rows, "surge queue", LOADS[LOADS.length - 1]);
    double goodput = high.tally().rate(Load.Outcome.GOOD) / peak;
    double p99 = high.tally().admittedMillis(99) / low.tally().admittedMillis(99);
    System.out.printf(
        Locale.ROOT,
        "overload: spillover at 4×: goodput %.2f of its peak (goal ≥ 0.90), admitted p99 %.2f× its"
            + " value at 0.5× (goal ≤ 2); surge queue at 4×: goodput %.2f of the spillover peak%n",
        goodput,
        p99,
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
