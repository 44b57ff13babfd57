package dev.faultline.drill.report;

import dev.faultline.drill.fault.FaultRunner;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG: a plot area with a value axis and a time axis, every fault
 * drawn across it as a band, and on it stacked throughput bars, latency lines on a log scale or the
 * SLOs' burn rates.
 */
final class SvgCharts {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 230;
  private static final int LEFT = 56;
  private static final int RIGHT = 30;
  static final int TOP = 26;
  private static final int BOTTOM = 30;
  private static final String[] BAND_COLORS = {
    "#f59e0b", "#8b5cf6", "#0ea5e9", "#ec4899", "#14b8a6", "#ef4444", "#6366f1"
  };

  static final String[] LINE_COLORS = {
    "#2563eb", "#db2777", "#16a34a", "#f59e0b", "#7c3aed", "#0891b2", "#dc2626", "#65a30d",
    "#9333ea", "#ea580c", "#0d9488", "#be123c"
  };

  private SvgCharts() {}

  /** Stacked bars per window; the last, partial window is scaled to the time it covers. */
  static String throughput(
      List<Analysis.Window> windows, List<FaultRunner.Struck> faults, long endMs, long lastMs) {
    double max = 1;
    for (Analysis.Window w : windows) {
      max = Math.max(max, (w.ok() + w.fail() + w.unknown()) * 1000.0 / covered(w, lastMs));
    }
    max = nice(max);
    StringBuilder s = svgStart();
    bands(s, faults, endMs);
    axes(s, max, endMs, "ops/s");
    double bw = plotWidth() * Analysis.WINDOW_MS / (double) endMs;
    for (Analysis.Window w : windows) {
      double x = x(w.startMs(), endMs) + 1;
      double y = TOP + plotHeight();
      long[] parts = {w.ok(), w.fail(), w.unknown()};
      String[] colors = {"#22c55e", "#94a3b8", "#ef4444"};
      for (int i = 0; i < 3; i++) {
        double hgt = parts[i] * 1000.0 / covered(w, lastMs) / max * plotHeight();
        if (hgt > 0) {
          y -= hgt;
          s.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                  x,
                  y,
                  Math.max(1, bw - 2),
                  hgt,
                  colors[i]));
        }
      }
    }
    return s.append("</svg>").toString();
  }

  private static double covered(Analysis.Window w, long lastMs) {
    return Math.max(1_000, Math.min(Analysis.WINDOW_MS, lastMs - w.startMs()));
  }

  /** Latency on a log scale (10 ms to the next power of ten above the worst p99). */
  static String latency(
      List<Analysis.Window> windows, List<FaultRunner.Struck> faults, long endMs) {
    double max = 1_000;
    for (Analysis.Window w : windows) {
      max = Math.max(max, w.p99Ms());
    }
    double top = Math.pow(10, Math.ceil(Math.log10(max)));
    StringBuilder s = svgStart();
    bands(s, faults, endMs);
    for (double v = 10; v <= top; v *= 10) {
      for (double tick : new double[] {v, 3 * v}) {
        if (tick > top) {
          continue;
        }
        double y = logY(tick, top);
        s.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e7eb\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#52606d\""
                    + " text-anchor=\"end\">%s</text>",
                LEFT,
                WIDTH - RIGHT,
                y,
                y,
                LEFT - 6,
                y + 4,
                tick >= 1000 ? Math.round(tick / 1000) + " s" : Math.round(tick) + ""));
      }
    }
    timeAxis(s, endMs, "ms (log)");
    line(s, windows, endMs, top, true, "#db2777");
    line(s, windows, endMs, top, false, "#2563eb");
    return s.append("</svg>").toString();
  }

  private static double logY(double ms, double top) {
    double share = (Math.log10(Math.max(10, ms)) - 1) / (Math.log10(top) - 1);
    return TOP + plotHeight() - share * plotHeight();
  }

  /** Each fault as a band: dark from the kill until the process is healthy, light until steady. */
  static void bands(StringBuilder s, List<FaultRunner.Struck> faults, long endMs) {
    int i = 0;
    for (FaultRunner.Struck f : faults) {
      String color = BAND_COLORS[Math.floorMod(f.target().group().hashCode(), BAND_COLORS.length)];
      double x0 = x(f.killAt(), endMs);
      double x1 = x(f.healthyAt(), endMs);
      double x2 = x(f.steadyAt(), endMs);
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\".30\"/>"
                  + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\".12\"/>"
                  + "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text>",
              x0,
              TOP,
              Math.max(1, x1 - x0),
              plotHeight(),
              color,
              x1,
              TOP,
              Math.max(0, x2 - x1),
              plotHeight(),
              color,
              x0,
              x0,
              TOP,
              TOP + plotHeight(),
              color,
              x0 + 2,
              TOP - 4 - (i++ % 2) * 11 + 11,
              color,
              Html.esc(label(f))));
    }
  }

  static void axes(StringBuilder s, double max, long endMs, String unit) {
    valueAxis(s, max);
    timeAxis(s, endMs, unit);
  }

  private static void valueAxis(StringBuilder s, double max) {
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = TOP + plotHeight() - plotHeight() * i / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e7eb\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"end\">%s</text>",
              LEFT,
              WIDTH - RIGHT,
              y,
              y,
              LEFT - 6,
              y + 4,
              v >= 100 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v)));
    }
  }

  private static void timeAxis(StringBuilder s, long endMs, String unit) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#52606d\">%s</text>",
            4,
            TOP - 10,
            unit));
    long step = endMs > 600_000 ? 60_000 : endMs > 180_000 ? 30_000 : 10_000;
    for (long t = 0; t <= endMs; t += step) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">%s</text>",
              x(t, endMs),
              HEIGHT - 10,
              t % 60_000 == 0 ? (t / 60_000) + " min" : (t / 1000) + " s"));
    }
  }

  static StringBuilder svgStart() {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\""
                + " role=\"img\" style=\"display:block\">",
            WIDTH,
            HEIGHT));
  }

  static double x(long ms, long endMs) {
    return LEFT + plotWidth() * Math.min(ms, endMs) / (double) endMs;
  }

  private static int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  static int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}: a readable axis maximum. */
  static double nice(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** A band's label: the instance, shortened; a primary by its shard (names are birth roles). */
  private static String label(FaultRunner.Struck f) {
    String verb =
        switch (f.action()) {
          case KILL -> "";
          case PAUSE -> "paused ";
          case PARTITION -> "cut off ";
        };
    if (f.target().group().equals("pg-primary")) {
      return verb + f.target().name().replace("pg-shard-", "pg").replace("-primary", " primary");
    }
    return verb + f.instance().replace("-service-", "-").replace("shard-router-", "router-");
  }

  private static void line(
      StringBuilder s,
      List<Analysis.Window> windows,
      long endMs,
      double top,
      boolean p99,
      String color) {
    StringBuilder points = new StringBuilder();
    for (Analysis.Window w : windows) {
      if (w.ok() + w.fail() + w.unknown() == 0) {
        continue;
      }
      double v = p99 ? w.p99Ms() : w.p50Ms();
      points.append(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f ",
              x(Math.min(w.startMs() + Analysis.WINDOW_MS / 2, endMs), endMs),
              logY(v, top)));
    }
    s.append("<polyline fill=\"none\" stroke=\"")
        .append(color)
        .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"")
        .append(points)
        .append("\"/>");
  }
}
