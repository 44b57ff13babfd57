package dev.faultline.drill.slo;

import dev.faultline.monitoring.slo.RuleFile;
import dev.faultline.monitoring.slo.Slo;
import dev.faultline.monitoring.slo.SloFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the drill cost in SLO terms, read from the deployment's Prometheus once the load has
 * stopped: per SLO of {@code monitoring/slo.yaml} its error ratio over the drill, the burn rate
 * that is, the share of a 30-day budget it spent, and its burn rate over time (1-minute windows);
 * and every alert that was pending or firing, from when to when. Times are milliseconds since the
 * drill's history began, like the rest of the report.
 *
 * @param prometheus the server read, or where it was looked for
 * @param note why there is no section (no Prometheus answering), or null
 */
public record SloSection(
    String prometheus, @Nullable String note, List<Result> slos, List<AlertSpan> alerts) {

  /**
   * One SLO over the drill: error ratio and burn rate null when it saw no events, {@code burn} its
   * burn rate over 1-minute windows, every 5 s.
   */
  public record Result(
      String name,
      String journey,
      double objective,
      @Nullable Double errorRatio,
      @Nullable Double burnRate,
      double budgetSpent,
      List<Point> burn) {}

  /** A value at a time, in ms since the drill's history began. */
  public record Point(long ms, double value) {}

  /** An alert's stretch in one state ({@code pending}, {@code firing}); {@code toMs} -1: still. */
  public record AlertSpan(
      String alert, String labels, String severity, String state, long fromMs, long toMs) {}

  private static final Duration STEP = Duration.ofSeconds(5);

  public static SloSection absent(String prometheus) {
    return new SloSection(
        prometheus,
        "no Prometheus answered at "
            + prometheus
            + ": start the suite with bin/suite up --monitoring for this section",
        List.of(),
        List.of());
  }

  /** Reads the section for the drill that began at {@code start} and whose load ended at endMs. */
  public static SloSection collect(Prometheus prometheus, SloFile file, Instant start, long endMs)
      throws Exception {
    Instant end = start.plusMillis(endMs);
    long seconds = Math.max(10, (endMs + 999) / 1000);
    List<Result> results = new ArrayList<>();
    for (Slo slo : file.slos()) {
      double ratio = first(prometheus.query(RuleFile.errorRatio(slo.sli(), seconds + "s"), end));
      double budget = slo.budget();
      List<Point> burn = new ArrayList<>();
      for (Prometheus.Series series :
          prometheus.range(
              "(" + RuleFile.errorRatio(slo.sli(), "1m") + ") / " + RuleFile.number(budget),
              start,
              end,
              STEP)) {
        for (double[] sample : series.samples()) {
          if (!Double.isNaN(sample[1])) {
            burn.add(new Point((long) sample[0] - start.toEpochMilli(), sample[1]));
          }
        }
      }
      Double errorRatio = Double.isNaN(ratio) ? null : ratio;
      Double burnRate = errorRatio == null ? null : errorRatio / budget;
      // At the drill's own traffic: burning at rate b for t spends b * t / window of the budget.
      double spent = burnRate == null ? 0 : burnRate * seconds / file.window().toSeconds();
      results.add(
          new Result(
              slo.name(), slo.journey(), slo.objective(), errorRatio, burnRate, spent, burn));
    }
    return new SloSection(
        prometheus.base().toString(), null, results, alerts(prometheus, start, end));
  }

  /** Every alert pending or firing between the drill's start and now, as spans per state. */
  private static List<AlertSpan> alerts(Prometheus prometheus, Instant start, Instant end)
      throws Exception {
    Instant until = Instant.now().isAfter(end) ? Instant.now() : end;
    List<AlertSpan> spans = new ArrayList<>();
    for (Prometheus.Series series : prometheus.range("ALERTS", start, until, STEP)) {
      Map<String, String> labels = new TreeMap<>(series.labels());
      String alert = labels.remove("alertname");
      String state = labels.remove("alertstate");
      String severity = labels.getOrDefault("severity", "");
      labels.remove("severity");
      labels.remove("__name__");
      String described = describe(labels);
      long from = -1;
      long last = -1;
      for (double[] sample : series.samples()) {
        long at = (long) sample[0] - start.toEpochMilli();
        if (from < 0) {
          from = at;
        } else if (at - last > STEP.toMillis() * 3 / 2) {
          spans.add(new AlertSpan(alert, described, severity, state, from, last));
          from = at;
        }
        last = at;
      }
      if (from >= 0) {
        boolean still = until.toEpochMilli() - start.toEpochMilli() - last <= STEP.toMillis() * 2;
        spans.add(new AlertSpan(alert, described, severity, state, from, still ? -1 : last));
      }
    }
    spans.sort(java.util.Comparator.comparingLong(AlertSpan::fromMs));
    return spans;
  }

  private static String describe(Map<String, String> labels) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String key : List.of("slo", "shard", "instance", "peer", "name", "application", "job")) {
      if (labels.containsKey(key)) {
        shown.put(key, labels.get(key));
      }
    }
    StringBuilder s = new StringBuilder();
    shown.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(v));
    return s.toString();
  }

  private static double first(List<Prometheus.Series> result) {
    if (result.isEmpty() || result.getFirst().samples().isEmpty()) {
      return Double.NaN;
    }
    return result.getFirst().samples().getFirst()[1];
  }
}
