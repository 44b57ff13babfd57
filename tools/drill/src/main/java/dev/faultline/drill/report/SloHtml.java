package dev.faultline.drill.report;

import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.slo.SloSection;
import java.util.List;
import java.util.Locale;

/** The report's SLO section, from what the drill read from the deployment's Prometheus. */
final class SloHtml {
  private SloHtml() {}

  /**
   * The SLO section: per SLO the error ratio and burn rate over the drill and the share of a 30-day
   * budget it spent; the burn rates over time against the fault bands and the alerts' firing marks;
   * and every alert that was pending or firing.
   */
  static void append(StringBuilder h, SloSection slo, List<FaultRunner.Struck> faults, long endMs) {
    h.append("<h2>SLOs (monitoring/slo.yaml, read from Prometheus)</h2>");
    if (slo == null || slo.note() != null) {
      h.append("<div class=panel>")
          .append(Html.esc(slo == null ? "no SLO section in this report" : slo.note()))
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
              Html.esc(r.name()),
              Html.esc(r.journey()),
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
      max = SvgCharts.nice(max);
      StringBuilder svg = SvgCharts.svgStart();
      SvgCharts.bands(svg, faults, endMs);
      SvgCharts.axes(svg, max, endMs, "burn rate");
      for (SloSection.AlertSpan a : slo.alerts()) {
        if (a.state().equals("firing") && a.fromMs() >= 0 && a.fromMs() <= endMs) {
          double x = SvgCharts.x(a.fromMs(), endMs);
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#111827\""
                      + " stroke-dasharray=\"4 3\"/>",
                  x,
                  x,
                  SvgCharts.TOP,
                  SvgCharts.TOP + SvgCharts.plotHeight()));
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
                  SvgCharts.x(p.ms(), endMs),
                  SvgCharts.TOP
                      + SvgCharts.plotHeight()
                      - Math.min(1, p.value() / max) * SvgCharts.plotHeight()));
        }
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(SvgCharts.LINE_COLORS[i % SvgCharts.LINE_COLORS.length])
            .append("\" stroke-width=\"2\" points=\"")
            .append(points)
            .append("\"/>");
      }
      h.append(svg.append("</svg>"));
      h.append("<div class=legend>");
      for (int i = 0; i < burned.size(); i++) {
        h.append("<i style=background:")
            .append(SvgCharts.LINE_COLORS[i % SvgCharts.LINE_COLORS.length])
            .append("></i>")
            .append(Html.esc(burned.get(i).name()));
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
              Html.esc(a.alert()),
              Html.esc(a.labels()),
              Html.esc(a.severity()),
              a.state().equals("firing") ? " class=bad" : "",
              Html.esc(a.state()),
              // Already in this state when the drill began (an earlier incident's long windows).
              a.fromMs() <= 0 ? "at start" : String.format(Locale.ROOT, "%.0f s", a.fromMs() / 1e3),
              a.toMs() < 0 ? "still" : String.format(Locale.ROOT, "%.0f s", a.toMs() / 1e3)));
    }
    h.append("</table>");
  }
}
