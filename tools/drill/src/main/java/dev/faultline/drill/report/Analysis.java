package dev.faultline.drill.report;

import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.history.Event.Outcome;
import dev.faultline.drill.history.History;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Availability and latency read off a history: totals per operation kind, a row per 5-second
 * window, latency during faults and outside them, and per fault how long clients saw errors.
 *
 * <p>An operation "errs" when its outcome is unknown (no answer, a 5xx, or still in progress when
 * the client gave up after its retries); a definite refusal (a busy lock, a cancel of a cancelled
 * order) is an answer, not an error. Latency is from invocation to completion, retries included.
 */
public record Analysis(
    Totals totals,
    Map<String, Totals> byKind,
    Map<String, Latency> latencyByKind,
    List<Window> windows,
    Latency latency,
    Latency latencyDuringFaults,
    Latency latencyOutsideFaults,
    List<FaultImpact> faults,
    Map<String, GroupImpact> byGroup,
    long lastInvokeMs) {

  public static final int WINDOW_MS = 5_000;

  public record Totals(long operations, long ok, long fail, long unknown) {
    /** Share of operations with a definite answer (ok or refused). */
    public double availability() {
      return operations == 0 ? 1 : (ok + fail) / (double) operations;
    }

    /** Share of operations that succeeded. */
    public double okRate() {
      return operations == 0 ? 1 : ok / (double) operations;
    }
  }

  /** Operations invoked in [startMs, startMs + 5 s): counts and latency percentiles. */
  public record Window(long startMs, long ok, long fail, long unknown, long p50Ms, long p99Ms) {}

  public record Latency(long p50Ms, long p99Ms, long maxMs, long samples) {}

  /**
   * One fault's effect: from the kill, how long until the last erring operation was invoked ({@code
   * errorsForMs}, 0 if none erred), how long the restart took, and until the suite was steady
   * again.
   */
  public record FaultImpact(
      String group,
      String instance,
      long killAtMs,
      long downMs,
      long restartMs,
      long steadyAfterKillMs,
      long errorsForMs,
      long operations,
      long unknown) {}

  /** Per group of faults: how many, and the worst and mean time clients saw errors. */
  public record GroupImpact(
      int faults, long maxErrorsForMs, long meanErrorsForMs, long maxRestartMs, long maxSteadyMs) {}

  public static Analysis of(History history, List<FaultRunner.Struck> struck) {
    List<History.Operation> ops = history.operations();
    Map<String, long[]> kinds = new TreeMap<>();
    long[] all = new long[3];
    for (History.Operation op : ops) {
      int slot = slot(op);
      all[slot]++;
      kinds.computeIfAbsent(op.kind(), k -> new long[3])[slot]++;
    }
    Map<String, Totals> byKind = new LinkedHashMap<>();
    Map<String, Latency> latencyByKind = new LinkedHashMap<>();
    kinds.forEach(
        (k, c) -> {
          byKind.put(k, totals(c));
          latencyByKind.put(k, latency(ops.stream().filter(o -> o.kind().equals(k)).toList()));
        });

    long end = ops.stream().mapToLong(o -> o.invoke().at()).max().orElse(0);
    List<List<History.Operation>> byWindow = new ArrayList<>();
    for (long start = 0; start <= end; start += WINDOW_MS) {
      byWindow.add(new ArrayList<>());
    }
    ops.forEach(o -> byWindow.get((int) (o.invoke().at() / WINDOW_MS)).add(o));
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < byWindow.size(); i++) {
      List<History.Operation> in = byWindow.get(i);
      long[] c = new long[3];
      in.forEach(o -> c[slot(o)]++);
      Latency l = latency(in);
      windows.add(new Window((long) i * WINDOW_MS, c[0], c[1], c[2], l.p50Ms(), l.p99Ms()));
    }

    List<History.Operation> during = new ArrayList<>();
    List<History.Operation> outside = new ArrayList<>();
    for (History.Operation op : ops) {
      long at = op.invoke().at();
      boolean inFault = struck.stream().anyMatch(f -> at >= f.killAt() && at < f.healthyAt());
      (inFault ? during : outside).add(op);
    }

    List<FaultImpact> impacts = new ArrayList<>();
    for (FaultRunner.Struck f : struck) {
      List<History.Operation> in =
          ops.stream()
              .filter(o -> o.invoke().at() >= f.killAt() && o.invoke().at() < f.steadyAt())
              .toList();
      long lastError =
          in.stream()
              .filter(o -> o.is(Outcome.UNKNOWN))
              .mapToLong(o -> o.invoke().at() - f.killAt())
              .max()
              .orElse(0);
      String how =
          switch (f.action()) {
            case KILL -> "";
            case PAUSE -> "paused";
            case PARTITION -> "cut off";
          };
      impacts.add(
          new FaultImpact(
              how.isEmpty() ? f.target().group() : f.target().group() + " (" + how + ")",
              how.isEmpty() ? f.instance() : how + " " + f.instance(),
              f.killAt(),
              f.startAt() - f.killAt(),
              f.healthyAt() - f.startAt(),
              f.steadyAt() - f.killAt(),
              lastError,
              in.size(),
              in.stream().filter(o -> o.is(Outcome.UNKNOWN)).count()));
    }
    Map<String, GroupImpact> byGroup = new TreeMap<>();
    impacts.stream()
        .map(FaultImpact::group)
        .distinct()
        .forEach(
            g -> {
              List<FaultImpact> of = impacts.stream().filter(i -> i.group().equals(g)).toList();
              byGroup.put(
                  g,
                  new GroupImpact(
                      of.size(),
                      of.stream().mapToLong(FaultImpact::errorsForMs).max().orElse(0),
                      (long) of.stream().mapToLong(FaultImpact::errorsForMs).average().orElse(0),
                      of.stream().mapToLong(FaultImpact::restartMs).max().orElse(0),
                      of.stream().mapToLong(FaultImpact::steadyAfterKillMs).max().orElse(0)));
            });
    return new Analysis(
        totals(all),
        byKind,
        latencyByKind,
        windows,
        latency(ops),
        latency(during),
        latency(outside),
        impacts,
        byGroup,
        end);
  }

  private static int slot(History.Operation op) {
    return op.is(Outcome.OK) ? 0 : op.is(Outcome.FAIL) ? 1 : 2;
  }

  private static Totals totals(long[] c) {
    return new Totals(c[0] + c[1] + c[2], c[0], c[1], c[2]);
  }

  /** Nearest-rank percentiles over the completed operations. */
  static Latency latency(List<History.Operation> ops) {
    long[] ms =
        ops.stream().mapToLong(History.Operation::latencyMillis).filter(l -> l >= 0).toArray();
    if (ms.length == 0) {
      return new Latency(0, 0, 0, 0);
    }
    Arrays.sort(ms);
    return new Latency(rank(ms, 0.50), rank(ms, 0.99), ms[ms.length - 1], ms.length);
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
