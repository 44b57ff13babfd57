package dev.faultline.monitoring.slo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * promtool unit tests of the rules {@link RuleFile} writes for one SLO, fed with that SLO's own raw
 * series (100 events a minute), so a wrong selector, label, bucket or threshold fails here:
 *
 * <ul>
 *   <li>a fast burn (20× the budget) pages and opens a ticket, and the error ratios and the budget
 *       left are what the input says;
 *   <li>each page condition alone pages: a 20-minute burst after six quiet hours (only the 1h/5m
 *       pair sees it), and a steady 8× burn (only the 6h/30m pair: 8 < 14.4);
 *   <li>a slow burn (4×) opens a ticket without paging, and a steady 2× burn opens one through the
 *       3d/6h pair alone (2 < 3);
 *   <li>errors inside the budget (0.5×) alert nobody;
 *   <li>once a fast burn is fixed the page resolves as soon as both short windows are clean.
 * </ul>
 */
public final class TestFile {
  static final double FAST = 20;
  static final double SLOW = 4;
  static final double WITHIN = 0.5;
  private static final int EVENTS_PER_MINUTE = 100;

  private TestFile() {}

  public static String render(SloFile file, Slo slo) {
    StringBuilder out = new StringBuilder();
    out.append(
        "# GENERATED from monitoring/slo.yaml by tools/monitoring (TestFile): do not edit.\n");
    out.append("# promtool test rules monitoring/prometheus/tests/")
        .append(Generated.testFile(slo))
        .append('\n');
    out.append("rule_files:\n  - ../rules/").append(Generated.ruleFile(slo)).append('\n');
    out.append("evaluation_interval: 1m\n");
    out.append("tests:\n");
    double b = slo.budget();
    double fast = Math.min(1, FAST * b);

    scenario(
        out,
        slo,
        "a fast burn (20x the budget) pages and opens a ticket",
        List.of(new Phase(fast, 60)));
    expect(out, file, slo, RuleFile.PAGE_ALERT, "15m", true);
    expect(out, file, slo, RuleFile.TICKET_ALERT, "15m", true);
    // Checked as a comparison: the ratio of two extrapolated rates is exact only to a few ulps.
    out.append("    promql_expr_test:\n");
    near(out, slo, BurnRate.errorRatio("5m"), fast, "15m");
    near(out, slo, BurnRate.errorRatio("30d"), fast, "15m");
    near(out, slo, "slo:error_budget_remaining:ratio", 1 - fast / b, "15m");

    // 20 minutes at 64.8x spend 1.5 times what 14.4x for an hour would (1h ratio 21.6x) but only
    // 3.6x over six hours: the 1h/5m pair pages, the 6h/30m pair cannot.
    double burst = 64.8 * b;
    if (burst <= 1) {
      scenario(
          out,
          slo,
          "a burst after quiet hours pages through the 1h/5m pair alone",
          List.of(new Phase(0, 360), new Phase(burst, 20), new Phase(0, 30)));
      expect(out, file, slo, RuleFile.PAGE_ALERT, "360m", false);
      expect(out, file, slo, RuleFile.PAGE_ALERT, "380m", true);
    }

    scenario(
        out,
        slo,
        "a steady 8x burn pages through the 6h/30m pair alone",
        List.of(new Phase(8 * b, 60)));
    expect(out, file, slo, RuleFile.PAGE_ALERT, "45m", true);

    scenario(
        out, slo, "a slow burn (4x) opens a ticket, no page", List.of(new Phase(SLOW * b, 60)));
    expect(out, file, slo, RuleFile.PAGE_ALERT, "45m", false);
    expect(out, file, slo, RuleFile.TICKET_ALERT, "45m", true);

    scenario(
        out,
        slo,
        "a steady 2x burn opens a ticket through the 3d/6h pair alone",
        List.of(new Phase(2 * b, 60)));
    expect(out, file, slo, RuleFile.PAGE_ALERT, "45m", false);
    expect(out, file, slo, RuleFile.TICKET_ALERT, "45m", true);

    scenario(
        out,
        slo,
        "errors inside the budget (0.5x) alert nobody",
        List.of(new Phase(WITHIN * b, 60)));
    for (String alert : List.of(RuleFile.PAGE_ALERT, RuleFile.TICKET_ALERT)) {
      for (String at : List.of("10m", "45m")) {
        expect(out, file, slo, alert, at, false);
      }
    }

    scenario(
        out,
        slo,
        "a page resolves once the fix has cleaned both short windows",
        List.of(new Phase(fast, 30), new Phase(0, 60)));
    expect(out, file, slo, RuleFile.PAGE_ALERT, "25m", true);
    // 35 minutes after the fix neither short window (5m, 30m) holds an error.
    expect(out, file, slo, RuleFile.PAGE_ALERT, "65m", false);
    return out.toString();
  }

  /** {@code minutes} one-minute samples in which a share {@code bad} of the events fail. */
  record Phase(double bad, int minutes) {}

  /** A test case: its name, the input series of {@code phases}, and the start of its alerts. */
  private static void scenario(StringBuilder out, Slo slo, String what, List<Phase> phases) {
    header(out, slo, what);
    series(out, slo, phases);
    out.append("    alert_rule_test:\n");
  }

  private static void header(StringBuilder out, Slo slo, String what) {
    out.append("  - name: ").append(RuleFile.quote(slo.name() + ": " + what)).append('\n');
    out.append("    interval: 1m\n");
    out.append("    input_series:\n");
  }

  private static void series(StringBuilder out, Slo slo, List<Phase> phases) {
    List<Double> good = new ArrayList<>();
    List<Double> bad = new ArrayList<>();
    for (Phase phase : phases) {
      good.add(EVENTS_PER_MINUTE * (1 - phase.bad()));
      bad.add(EVENTS_PER_MINUTE * phase.bad());
    }
    List<Integer> minutes = phases.stream().map(Phase::minutes).toList();
    switch (slo.sli()) {
      case Slo.Events e -> {
        Map<String, String> goodLabels = new TreeMap<>(e.select());
        e.bad().keySet().forEach(k -> goodLabels.put(k, "ok"));
        inputSeries(out, RuleFile.series(e.metric(), goodLabels), good, minutes);
        inputSeries(
            out, RuleFile.series(e.metric(), RuleFile.merged(e.select(), e.bad())), bad, minutes);
      }
      case Slo.Latency l -> {
        Map<String, String> bucket = new TreeMap<>(l.select());
        bucket.put("le", l.le());
        List<Double> all = phases.stream().map(p -> (double) EVENTS_PER_MINUTE).toList();
        inputSeries(out, RuleFile.series(l.histogram() + "_count", l.select()), all, minutes);
        inputSeries(out, RuleFile.series(l.histogram() + "_bucket", bucket), good, minutes);
      }
    }
  }

  /** A counter growing by {@code perMinute.get(i)} for {@code minutes.get(i)} samples, in turn. */
  private static void inputSeries(
      StringBuilder out, String series, List<Double> perMinute, List<Integer> minutes) {
    StringBuilder values = new StringBuilder();
    double start = 0;
    for (int i = 0; i < perMinute.size(); i++) {
      if (i > 0) {
        values.append(' ');
        // The next phase starts one step on from where the last one ended.
        start += perMinute.get(i);
      }
      values
          .append(RuleFile.number(start))
          .append('+')
          .append(RuleFile.number(perMinute.get(i)))
          .append('x')
          .append(i == 0 ? minutes.get(i) : minutes.get(i) - 1);
      start += perMinute.get(i) * (i == 0 ? minutes.get(i) : minutes.get(i) - 1);
    }
    out.append("      - series: ").append(RuleFile.quote(series)).append('\n');
    out.append("        values: ").append(RuleFile.quote(values.toString())).append('\n');
  }

  private static void expect(
      StringBuilder out, SloFile file, Slo slo, String alert, String at, boolean firing) {
    out.append("      - eval_time: ").append(at).append('\n');
    out.append("        alertname: ").append(alert).append('\n');
    if (!firing) {
      out.append("        exp_alerts: []\n");
      return;
    }
    boolean page = alert.equals(RuleFile.PAGE_ALERT);
    String severity = page ? "page" : "ticket";
    out.append("        exp_alerts:\n");
    out.append("          - exp_labels:\n");
    out.append("              severity: ").append(severity).append('\n');
    out.append("              slo: ").append(slo.name()).append('\n');
    out.append("              journey: ").append(RuleFile.quote(slo.journey())).append('\n');
    out.append("            exp_annotations:\n");
    out.append("              summary: ")
        .append(RuleFile.quote(RuleFile.summary(slo, severity)))
        .append('\n');
    out.append("              description: ")
        .append(
            RuleFile.quote(RuleFile.description(slo, page ? BurnRate.PAGE : BurnRate.TICKET, file)))
        .append('\n');
  }

  private static void near(StringBuilder out, Slo slo, String record, double value, String at) {
    out.append("      - expr: abs(")
        .append(record)
        .append("{slo=\"")
        .append(slo.name())
        .append("\"} - ")
        .append(RuleFile.number(value))
        .append(") < bool 1e-9\n");
    out.append("        eval_time: ").append(at).append('\n');
    out.append("        exp_samples:\n");
    out.append("          - labels: ")
        .append(
            RuleFile.quote(
                "{journey=" + RuleFile.quote(slo.journey()) + ", slo=\"" + slo.name() + "\"}"))
        .append('\n');
    out.append("            value: 1\n");
  }
}
