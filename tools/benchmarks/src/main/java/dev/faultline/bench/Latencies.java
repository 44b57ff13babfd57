package dev.faultline.bench;

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
}
