package dev.faultline.bench.start;

import dev.faultline.bench.ProcessCpu;
import dev.faultline.bench.RunningSuite;
import dev.faultline.cluster.suite.SuiteCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code bin/bench start [--cold]}: stops the local suite ({@code --cold}: and deletes its home, so
 * that every build starts without its class-data archive) and brings it up again, timing the start
 * and reading every member's CPU from {@code /proc} at the moment {@code bin/suite up} reports
 * every process healthy. On a machine whose cores all the members share, a start cannot take less
 * than its CPU over the cores: that is what the figures show.
 */
public final class StartBench {
  private static final Pattern ALL_HEALTHY = Pattern.compile("all \\d+ processes healthy");

  private StartBench() {}

  public static void run(String[] args) throws Exception {
    boolean cold = List.of(args).contains("--cold");
    RunningSuite suite = RunningSuite.fromEnvironment();
    SuiteCommand command = suite.command();
    System.out.printf(
        Locale.ROOT,
        "start: %s%n",
        cold
            ? "cold: bin/suite down --purge (the suite's data and archives deleted), then up"
            : "warm: bin/suite down, then up");
    command.ok(
        Duration.ofMinutes(5), cold ? new String[] {"down", "--purge"} : new String[] {"down"});

    ProcessBuilder up =
        new ProcessBuilder(suite.home().repo().resolve("bin/suite").toString(), "up")
            .directory(suite.home().repo().toFile())
            .redirectErrorStream(true);
    up.environment()
        .putAll(
            Map.of(
                "SUITE_HOME", suite.home().root().toString(),
                "SUITE_PORT_OFFSET", Integer.toString(suite.ports().offset())));
    long started = System.nanoTime();
    Process process = up.start();
    ProcessCpu atHealthy = null;
    double healthySeconds = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println("  " + line);
        if (atHealthy == null && ALL_HEALTHY.matcher(line).find()) {
          healthySeconds = (System.nanoTime() - started) / 1e9;
          atHealthy = ProcessCpu.snapshot(command);
        }
      }
    }
    int exit = process.waitFor();
    double doneSeconds = (System.nanoTime() - started) / 1e9;
    if (exit != 0 || atHealthy == null) {
      throw new IllegalStateException(
          "bin/suite up exited " + exit + " before every process was healthy");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    List<Map.Entry<String, Double>> members = new ArrayList<>(atHealthy.seconds().entrySet());
    members.removeIf(e -> e.getKey().equals("bench"));
    double total = members.stream().mapToDouble(Map.Entry::getValue).sum();
    System.out.printf(Locale.ROOT, "%n| member | CPU s until all healthy |%n|---|---:|%n");
    for (var member : members) {
      System.out.printf(Locale.ROOT, "| %s | %.1f |%n", member.getKey(), member.getValue());
    }
    System.out.printf(
        Locale.ROOT,
        "%n%s start: all healthy at %.1f s, bin/suite up done at %.1f s; %.1f s of CPU until all"
            + " healthy, at least %.1f s on %d cores%n",
        cold ? "cold" : "warm",
        healthySeconds,
        doneSeconds,
        total,
        total / cores,
        cores);
  }
}
