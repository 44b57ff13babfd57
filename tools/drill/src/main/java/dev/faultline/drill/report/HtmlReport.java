package dev.faultline.drill.report;

import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.slo.SloSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched)
 * that a person reads in a browser: the verdict, each check, the charts over time (throughput by
 * outcome, latency p50/p99, with every fault drawn across them), the faults and the operations.
 */
public final class HtmlReport {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 230;
  private static final int LEFT = 56;
  private static final int RIGHT = 30;
  private static final int TOP = 26;
  private static final int BOTTOM = 30;
  private static final String[] BAND_COLORS = {
    "#f59e0b", "#8b5cf6", "#0ea5e9", "#ec4899", "#14b8a6", "#ef4444", "#6366f1"
  };

  private HtmlReport() {}

  public static void write(DrillReport report, Path file) throws IOException {
    Files.writeString(file, render(report));
  }

  static String render(DrillReport r) {
    Analysis a = r.analysis();
    boolean pass = r.violations() == 0;
    StringBuilder h = new StringBuilder();
    h.append(
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>faultline drill %s</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1f2933}
        main{max-width:1060px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
        .sub{color:#52606d;margin-bottom:16px}
        .verdict{border-radius:10px;padding:14px 18px;font-size:18px;font-weight:600;color:#fff}
        .pass{background:#16a34a} .fail{background:#dc2626}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:16px 0}
        .card{background:#fff;border-radius:10px;padding:10px 14px;box-shadow:0 1px 2px #0001}
        .card b{display:block;font-size:22px} .card span{color:#52606d;font-size:12px}
        .panel{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px #0001;margin-bottom:12px}
        table{border-collapse:collapse;width:100%%;background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 1px 2px #0001}
        th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7eb;font-variant-numeric:tabular-nums}
        th{background:#eef1f4;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#52606d}
        td.num,th.num{text-align:right}
        .ok{color:#16a34a;font-weight:600} .bad{color:#dc2626;font-weight:600}
        .legend{font-size:12px;color:#52606d;margin:4px 0 0} .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}
        ul.v{margin:4px 0 0 18px;padding:0;color:#dc2626}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
        </style></head><body><main>
        """
            .formatted(esc(r.id())));
    h.append("<h1>Chaos drill <code>").append(esc(r.id())).append("</code></h1>");
    h.append("<div class=sub>started ")
        .append(esc(r.startedAt()))
        .append(" &middot; ")
        .append(esc(options(r.options())))
        .append("</div>");
    h.append("<div class=\"verdict ")
        .append(pass ? "pass" : "fail")
        .append("\">")
        .append(esc(r.verdict().replaceFirst("; report .*$", "")))
        .append("</div>");

    Analysis.Totals t = a.totals();
    h.append("<div class=cards>");
    card(h, Long.toString(t.operations()), "operations");
    card(h, pct(t.okRate()), "succeeded (2xx)");
    card(h, pct(t.availability()), "answered (2xx or a 4xx refusal)");
    card(h, Long.toString(t.unknown()), "unknown outcome (errors)");
    card(h, a.latency().p99Ms() + " ms", "p99 latency");
    card(h, a.latencyDuringFaults().p99Ms() + " ms", "p99 while a process was down");
    card(h, Integer.toString(r.faults().size()), "faults injected");
    card(h, String.format(Locale.ROOT, "%.1f s", r.settledInMs() / 1e3), "sagas settled after");
    h.append("</div>");

    h.append(
        "<h2>Invariants</h2><table><tr><th>check</th><th>result</th><th>what it proves</th></tr>");
    for (Map.Entry<String, List<String>> check : r.checks().entrySet()) {
      List<String> found = check.getValue();
      h.append("<tr><td><code>").append(esc(check.getKey())).append("</code></td><td>");
      h.append(
          found.isEmpty()
              ? "<span class=ok>pass</span>"
              : "<span class=bad>" + found.size() + " violations</span>");
      h.append("</td><td>").append(esc(explain(check.getKey())));
      if (!found.isEmpty()) {
        h.append("<ul class=v>");
        found.stream().limit(50).forEach(v -> h.append("<li>").append(esc(v)).append("</li>"));
        h.append("</ul>");
      }
      h.append("</td></tr>");
    }
    h.append("</table>");

    long endMs = Math.max(Analysis.WINDOW_MS, a.lastInvokeMs());
    h.append(
        "<h2>Throughput by outcome (operations per second, 5 s windows)</h2><div class=panel>");
    h.append(throughput(a.windows(), r.faults(), endMs, a.lastInvokeMs()));
    h.append(
        "<div class=legend><i style=background:#22c55e></i>ok<i style=background:#94a3b8></i>refused"
            + " (4xx)<i style=background:#ef4444></i>unknown (no answer, 5xx)"
            + "<i style=background:#f59e0b55></i>process down (kill to healthy)"
            + "<i style=background:#f59e0b22></i>until the suite is steady</div></div>");
    h.append("<h2>Latency (ms, per 5 s window, retries included)</h2><div class=panel>");
    h.append(latency(a.windows(), r.faults(), endMs));
    h.append(
        "<div class=legend><i style=background:#2563eb></i>p50<i style=background:#db2777></i>p99"
            + " &nbsp;(operations invoked in each window, from invocation to completion)</div></div>");

    slo(h, r.slo(), r.faults(), endMs);

    h.append(
        "<h2>Faults</h2><table><tr><th>#</th><th>killed</th><th class=num>at</th>"
            + "<th class=num>down</th><th class=num>restart</th><th class=num>steady after kill</th>"
            + "<th class=num>errors seen for</th><th class=num>unknown / ops</th></tr>");
    int n = 1;
    for (Analysis.FaultImpact f : a.faults()) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td><code>%s</code> <span style=color:#52606d>(%s)</span></td>"
                  + "<td class=num>%.1f s</td><td class=num>%.1f s</td><td class=num>%.1f s</td>"
                  + "<td class=num>%.1f s</td><td class=num>%.1f s</td><td class=num>%d / %d</td></tr>",
              n++,
              esc(f.instance()),
              esc(f.group()),
              f.killAtMs() / 1e3,
              f.downMs() / 1e3,
              f.restartMs() / 1e3,
              f.steadyAfterKillMs() / 1e3,
              f.errorsForMs() / 1e3,
              f.unknown(),
              f.operations()));
    }
    h.append("</table>");

    h.append(
        "<h2>Recovery by kind of fault</h2><table><tr><th>group</th><th class=num>faults</th>"
            + "<th class=num>errors seen for (max / mean)</th><th class=num>restart (max)</th>"
            + "<th class=num>steady after kill (max)</th></tr>");
    a.byGroup()
        .forEach(
            (g, i) ->
                h.append(
                    String.format(
                        Locale.ROOT,
                        "<tr><td>%s</td><td class=num>%d</td><td class=num>%.1f s / %.1f s</td>"
                            + "<td class=num>%.1f s</td><td class=num>%.1f s</td></tr>",
                        esc(g),
                        i.faults(),
                        i.maxErrorsForMs() / 1e3,
                        i.meanErrorsForMs() / 1e3,
                        i.maxRestartMs() / 1e3,
                        i.maxSteadyMs() / 1e3)));
    h.append("</table>");

    h.append(
        "<h2>Operations</h2><table><tr><th>kind</th><th class=num>total</th><th class=num>ok</th>"
            + "<th class=num>refused</th><th class=num>unknown</th><th class=num>answered</th>"
            + "<th class=num>p50</th><th class=num>p99</th><th class=num>max</th></tr>");
    a.byKind()
        .forEach(
            (k, c) ->
                h.append(
                    String.format(
                        Locale.ROOT,
                        "<tr><td><code>%s</code></td><td class=num>%d</td><td class=num>%d</td>"
                            + "<td class=num>%d</td><td class=num>%d</td><td class=num>%s</td>"
                            + "<td class=num>%d ms</td><td class=num>%d ms</td>"
                            + "<td class=num>%d ms</td></tr>",
                        esc(k),
                        c.operations(),
                        c.ok(),
                        c.fail(),
                        c.unknown(),
                        pct(c.availability()),
                        a.latencyByKind().get(k).p50Ms(),
                        a.latencyByKind().get(k).p99Ms(),
                        a.latencyByKind().get(k).maxMs())));
    h.append("</table>");
    h.append(
        "<p class=sub style=margin-top:18px>Files beside this page: <code>history.jsonl</code>"
            + " (every operation's invoke and ok / fail / unknown, every fault) and"
            + " <code>report.json</code>.</p></main></body></html>\n");
    return h.toString();
  }

  private static final String[] LINE_COLORS = {
    "#2563eb", "#db2777", "#16a34a", "#f59e0b", "#7c3aed", "#0891b2", "#dc2626", "#65a30d",
    "#9333ea", "#ea580c", "#0d9488", "#be123c"
  };

  /**
   * The SLO section: per SLO the error ratio and burn rate over the drill and the share of a 30-day
   * budget it spent; the burn rates over time against the fault bands and the alerts' firing marks;
   * and every alert that was pending or firing.
   */
  private static void slo(
      StringBuilder h, SloSection slo, List<FaultRunner.Struck> faults, long endMs) {
    h.append("<h2>SLOs (monitoring/slo.yaml, read from Prometheus)</h2>");
    if (slo == null || slo.note() != null) {
      h.append("<div class=panel>")
          .append(esc(slo == null ? "no SLO section in this report" : slo.note()))
          .append("</div>");
      return;
    }
    h.append(
        "<table><tr><th>SLO</th><th>journey</th><th class=num>objective</th>"
            + "<th class=num>error ratio in the drill</th><th class=num>burn rate</th>"
            + "<th class=num>30-day budget spent</th></tr>");
    for (SloSection.Result r : slo.slos()) {
      boolean burning = r.burnRate() != null && r.burnRate() > 1;
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td><code>%s</code></td><td>%s</td><td class=num>%s%%</td><td class=num>%s</td>"
                  + "<td class=num%s>%s</td><td class=num>%s</td></tr>",
              esc(r.name()),
              esc(r.journey()),
              dev.faultline.monitoring.slo.RuleFile.number(r.objective()),
              r.errorRatio() == null
                  ? "no events"
                  : String.format(Locale.ROOT, "%.3f%%", 100 * r.errorRatio()),
              burning ? " style=\"color:#dc2626;font-weight:600\"" : "",
              r.burnRate() == null ? "-" : String.format(Locale.ROOT, "%.1fx", r.burnRate()),
              String.format(Locale.ROOT, "%.3f%%", 100 * r.budgetSpent())));
    }
    h.append("</table>");

    List<SloSection.Result> burned =
        slo.slos().stream().filter(r -> r.burn().stream().anyMatch(p -> p.value() > 0)).toList();
    h.append("<h2>Burn rate over time (1-minute windows; 1 spends the budget in 30 days)</h2>");
    h.append("<div class=panel>");
    if (burned.isEmpty()) {
      h.append("No SLO burned any budget during the drill.");
    } else {
      double max = 1;
      for (SloSection.Result r : burned) {
        for (SloSection.Point p : r.burn()) {
          max = Math.max(max, p.value());
        }
      }
      max = nice(max);
      StringBuilder svg = svgStart();
      bands(svg, faults, endMs);
      axes(svg, max, endMs, "burn rate");
      for (SloSection.AlertSpan a : slo.alerts()) {
        if (a.state().equals("firing") && a.fromMs() >= 0 && a.fromMs() <= endMs) {
          double x = x(a.fromMs(), endMs);
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#111827\""
                      + " stroke-dasharray=\"4 3\"/>",
                  x,
                  x,
                  TOP,
                  TOP + plotHeight()));
        }
      }
      for (int i = 0; i < burned.size(); i++) {
        StringBuilder points = new StringBuilder();
        for (SloSection.Point p : burned.get(i).burn()) {
          if (p.ms() < 0 || p.ms() > endMs) {
            continue;
          }
          points.append(
              String.format(
                  Locale.ROOT,
                  "%.1f,%.1f ",
                  x(p.ms(), endMs),
                  TOP + plotHeight() - Math.min(1, p.value() / max) * plotHeight()));
        }
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(LINE_COLORS[i % LINE_COLORS.length])
            .append("\" stroke-width=\"2\" points=\"")
            .append(points)
            .append("\"/>");
      }
      h.append(svg.append("</svg>"));
      h.append("<div class=legend>");
      for (int i = 0; i < burned.size(); i++) {
        h.append("<i style=background:")
            .append(LINE_COLORS[i % LINE_COLORS.length])
            .append("></i>")
            .append(esc(burned.get(i).name()));
      }
      h.append("<i style=background:#111827></i>an alert starts firing (dashed)</div>");
    }
    h.append("</div>");

    h.append(
        "<h2>Alerts during the drill</h2><table><tr><th>alert</th><th>labels</th>"
            + "<th>severity</th><th>state</th><th class=num>from</th><th class=num>until</th></tr>");
    if (slo.alerts().isEmpty()) {
      h.append("<tr><td colspan=6>none pending or firing</td></tr>");
    }
    for (SloSection.AlertSpan a : slo.alerts()) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td%s>%s</td>"
                  + "<td class=num>%s</td><td class=num>%s</td></tr>",
              esc(a.alert()),
              esc(a.labels()),
              esc(a.severity()),
              a.state().equals("firing") ? " class=bad" : "",
              esc(a.state()),
              // Already in this state when the drill began (an earlier incident's long windows).
              a.fromMs() <= 0 ? "at start" : String.format(Locale.ROOT, "%.0f s", a.fromMs() / 1e3),
              a.toMs() < 0 ? "still" : String.format(Locale.ROOT, "%.0f s", a.toMs() / 1e3)));
    }
    h.append("</table>");
  }

  /** Stacked bars per window; the last, partial window is scaled to the time it covers. */
  private static String throughput(
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
  private static String latency(
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

  /** Each fault as a band: dark from the kill until the process is healthy, light until steady. */
  private static void bands(StringBuilder s, List<FaultRunner.Struck> faults, long endMs) {
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
              esc(label(f))));
    }
  }

  private static void axes(StringBuilder s, double max, long endMs, String unit) {
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

  private static StringBuilder svgStart() {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\""
                + " role=\"img\" style=\"display:block\">",
            WIDTH,
            HEIGHT));
  }

  private static double x(long ms, long endMs) {
    return LEFT + plotWidth() * Math.min(ms, endMs) / (double) endMs;
  }

  private static int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private static int plotHeight() {
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
    if (f.target().group().equals("pg-primary")) {
      return f.target().name().replace("pg-shard-", "pg").replace("-primary", " primary");
    }
    return f.instance().replace("-service-", "-").replace("shard-router-", "router-");
  }

  private static void card(StringBuilder h, String value, String label) {
    h.append("<div class=card><b>")
        .append(esc(value))
        .append("</b><span>")
        .append(esc(label))
        .append("</span></div>");
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * share);
  }

  private static String options(Map<String, Object> options) {
    StringBuilder s = new StringBuilder();
    options.forEach(
        (k, v) -> s.append(s.isEmpty() ? "" : " ").append("--").append(k).append(' ').append(v));
    return s.toString();
  }

  private static String explain(String check) {
    return switch (check) {
      case "lost" ->
          "every acknowledged order exists (databases and API); acknowledged cancels ended"
              + " CANCELLED; acknowledged deposits are all in the ledger";
      case "money" ->
          "per order, captured - refunded is the total if CONFIRMED, else 0; no deposit applied"
              + " twice";
      case "ledger" -> "the ledger sums to zero on every shard; every balance equals its entries";
      case "sagas" -> "every saga is terminal within the bound after the faults stop";
      case "locks" ->
          "fenced writes accepted in token order (drill register and account balances); no two"
              + " clients held one lock at once";
      default -> "";
    };
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
