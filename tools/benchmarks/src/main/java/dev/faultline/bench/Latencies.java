package dev.faultline.bench;

import java.util.Arrays;
import java.util.Locale;

/** Per-operation latencies as the load harnesses report them: percentiles and a table row. */
public final class Latencies {
  private Latencies() {}

  /** The {@code percentile}th of {@code sorted} nanoseconds, in milliseconds (nearest rank). */
  public static double millis(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  /** A Markdown row: name, operations per second, p50 and p99 in ms. */
  public static void row(String name, double rate, long[] sorted, String format) {
    System.out.printf(
        Locale.ROOT,
        "| %s | " + format + " | %.2f | %.2f |%n",
        name,
        rate,
        millis(sorted, 50),
        millis(sorted, 99));
  }

  /**
   * One side of a comparison: its name in the table, each operation's nanoseconds (in any order),
   * and the nanoseconds the operations took in all, for the rate.
   */
  public record Side(String name, long[] nanos, long elapsedNanos) {
    double rate() {
      return nanos.length / (elapsedNanos / 1e9);
    }
  }

  /** Runs {@code n} operations into {@code into[from, from + n)}; the nanoseconds they took. */
  @FunctionalInterface
  public interface Block {
    long run(int n, long[] into, int from) throws Exception;
  }

  /**
   * {@code count} operations a side, in blocks of {@code block} that alternate between ours and the
   * baseline, so both see the same machine through the run.
   */
  public static Side[] alternate(
      int count, int block, String oursName, Block ours, String baselineName, Block baseline)
      throws Exception {
    long[] oursNanos = new long[count];
    long[] baselineNanos = new long[count];
    long oursElapsed = 0;
    long baselineElapsed = 0;
    for (int done = 0; done < count; done += block) {
      int n = Math.min(block, count - done);
      oursElapsed += ours.run(n, oursNanos, done);
      baselineElapsed += baseline.run(n, baselineNanos, done);
    }
    return new Side[] {
      new Side(oursName, oursNanos, oursElapsed),
      new Side(baselineName, baselineNanos, baselineElapsed)
    };
  }

  /**
   * The Markdown table of a side-by-side run: a row per side ({@code unit}/s with {@code format},
   * p50 and p99) and the ratio ours/{@code vs} of each column.
   */
  public static void compare(String unit, String format, Side ours, Side baseline, String vs) {
    Arrays.sort(ours.nanos());
    Arrays.sort(baseline.nanos());
    System.out.println();
    System.out.println("| | " + unit + "/s | p50 ms | p99 ms |");
    System.out.println("|---|---:|---:|---:|");
    row(ours.name(), ours.rate(), ours.nanos(), format);
    row(baseline.name(), baseline.rate(), baseline.nanos(), format);
    System.out.printf(
        Locale.ROOT,
        "| ratio ours/%s | %.2f | %.2f | %.2f |%n",
        vs,
        ours.rate() / baseline.rate(),
        millis(ours.nanos(), 50) / millis(baseline.nanos(), 50),
        millis(ours.nanos(), 99) / millis(baseline.nanos(), 99));
  }
}
