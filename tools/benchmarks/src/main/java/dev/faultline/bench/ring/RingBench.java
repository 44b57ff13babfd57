package dev.faultline.bench.ring;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code bin/bench ring}: the balance and movement table, then JMH lookup times, side by side. */
public final class RingBench {
  private static final int[] SHARDS = {4, 16, 64};
  private static final String[] PLACEMENTS = {"slots", "jump", "vnodes160"};

  private RingBench() {}

  public static void run(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    System.out.printf(
        Locale.ROOT, "Balance and movement over %,d keys (customer-0..)%n%n", RingFigures.KEYS);
    System.out.println(
        RingFigures.table(RingFigures.compute(RingFigures.keyHashes(), SHARDS, PLACEMENTS)));

    Options options =
        new OptionsBuilder()
            .include(RingLookupBenchmark.class.getName())
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.seconds(1))
            .shouldDoGC(false)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Map<Integer, String>> table = new TreeMap<>();
    for (RunResult result : results) {
      var params = result.getParams();
      var score = result.getPrimaryResult();
      table
          .computeIfAbsent(params.getParam("placement"), k -> new TreeMap<>())
          .put(
              Integer.parseInt(params.getParam("shards")),
              String.format(Locale.ROOT, "%.1f ± %.1f", score.getScore(), score.getScoreError()));
    }
    System.out.println();
    System.out.println("Lookup, key string to shard (ns/op, JMH average time, 1 thread)");
    System.out.println();
    System.out.println("| placement | 4 shards | 16 shards | 64 shards |");
    System.out.println("|---|---:|---:|---:|");
    for (String placement : PLACEMENTS) {
      Map<Integer, String> row = table.getOrDefault(placement, Map.of());
      System.out.printf(
          Locale.ROOT, "| %s | %s | %s | %s |%n", placement, row.get(4), row.get(16), row.get(64));
    }
  }
}
