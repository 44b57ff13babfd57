package dev.faultline.monitoring.slo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Prometheus rules of an {@link SloFile}: per SLO a group recording its error ratio over every
 * window of {@link BurnRate#WINDOWS}, its objective, budget and budget left, and its two burn-rate
 * alerts ({@code SLOBurnRatePage}, {@code SLOBurnRateTicket}), all labelled {@code slo} and {@code
 * journey}. Written as text, in a fixed order, so the committed file diffs cleanly.
 */
public final class RuleFile {
  public static final String PAGE_ALERT = "SLOBurnRatePage";
  public static final String TICKET_ALERT = "SLOBurnRateTicket";
  public static final String PAGE_FOR = "2m";
  public static final String TICKET_FOR = "5m";

  private RuleFile() {}

  /** One SLO's rules, a file of their own so that its promtool tests evaluate nothing else. */
  public static String render(SloFile file, Slo slo) {
    StringBuilder out = new StringBuilder();
    out.append(
        "# GENERATED from monitoring/slo.yaml by tools/monitoring (RuleFile): do not edit; change\n");
    out.append(
        "# slo.yaml and run tools/monitoring/regenerate. ./mvnw verify checks the two agree and runs\n");
    out.append("# promtool on this file and on ../tests/")
        .append(Generated.testFile(slo))
        .append(".\n");
    out.append("groups:\n");
    group(out, file, slo);
    return out.toString();
  }

  private static void group(StringBuilder out, SloFile file, Slo slo) {
    out.append("  - name: slo-").append(slo.name()).append('\n');
    out.append("    rules:\n");
    String labels = labels(slo);
    String window = BurnRate.WINDOWS.getLast();
    for (String w : BurnRate.WINDOWS) {
      out.append("      - record: ").append(BurnRate.errorRatio(w)).append('\n');
      out.append("        expr: ").append(errorRatio(slo.sli(), w)).append('\n');
      out.append(labels);
    }
    out.append("      - record: slo:objective:ratio\n");
    out.append("        expr: vector(").append(number(slo.objective() / 100)).append(")\n");
    out.append(labels);
    out.append("      - record: slo:error_budget:ratio\n");
    out.append("        expr: vector(").append(number(slo.budget())).append(")\n");
    out.append(labels);
    // 1 while nothing is spent, 0 when the window's budget is gone, negative past it.
    out.append("      - record: slo:error_budget_remaining:ratio\n");
    out.append("        expr: 1 - ")
        .append(BurnRate.errorRatio(window))
        .append(selector(slo))
        .append(" / ")
        .append(number(slo.budget()))
        .append('\n');
    out.append(labels);
    alert(out, slo, PAGE_ALERT, "page", PAGE_FOR, BurnRate.PAGE, file);
    alert(out, slo, TICKET_ALERT, "ticket", TICKET_FOR, BurnRate.TICKET, file);
  }

  private static void alert(
      StringBuilder out,
      Slo slo,
      String name,
      String severity,
      String forDuration,
      List<BurnRate> rates,
      SloFile file) {
    out.append("      - alert: ").append(name).append('\n');
    out.append("        expr: |\n");
    for (int i = 0; i < rates.size(); i++) {
      BurnRate rate = rates.get(i);
      String threshold = " > (" + number(rate.factor()) + " * " + number(slo.budget()) + ")";
      out.append("          (\n");
      out.append("            ")
          .append(BurnRate.errorRatio(rate.longWindow()))
          .append(selector(slo))
          .append(threshold)
          .append('\n');
      out.append("            and\n");
      out.append("            ")
          .append(BurnRate.errorRatio(rate.shortWindow()))
          .append(selector(slo))
          .append(threshold)
          .append('\n');
      out.append("          )\n");
      if (i < rates.size() - 1) {
        out.append("          or\n");
      }
    }
    out.append("        for: ").append(forDuration).append('\n');
    out.append("        labels:\n");
    out.append("          severity: ").append(severity).append('\n');
    // Also on the expression's result; here so two SLOs' alerts are distinct rules to promtool.
    out.append("          slo: ").append(slo.name()).append('\n');
    out.append("        annotations:\n");
    out.append("          summary: ").append(quote(summary(slo, severity))).append('\n');
    out.append("          description: ").append(quote(description(slo, rates, file))).append('\n');
  }

  /**
   * The fast page condition of one SLO with short windows, as one alert ({@code
   * SLOBurnRatePageLive}, labelled {@code windows: live}): the ratios computed inline, so it adds
   * no series beside the real ones. For showing the page fire and resolve on a live suite within
   * minutes; the real windows are proven by the promtool tests.
   */
  public static String livePage(
      Slo slo, String longWindow, String shortWindow, String forDuration) {
    String threshold =
        " > (" + number(BurnRate.PAGE.getFirst().factor()) + " * " + number(slo.budget()) + ")";
    return "groups:\n"
        + "  - name: slo-live-"
        + slo.name()
        + "\n"
        + "    rules:\n"
        + "      - alert: "
        + PAGE_ALERT
        + "Live\n"
        + "        expr: |\n"
        + "          ("
        + errorRatio(slo.sli(), longWindow)
        + ")"
        + threshold
        + "\n"
        + "          and\n"
        + "          ("
        + errorRatio(slo.sli(), shortWindow)
        + ")"
        + threshold
        + "\n"
        + "        for: "
        + forDuration
        + "\n"
        + "        labels:\n"
        + "          severity: page\n"
        + "          slo: "
        + slo.name()
        + "\n"
        + "          windows: live\n";
  }

  /** The alert's summary, also what the promtool tests expect. */
  static String summary(Slo slo, String severity) {
    return (severity.equals("page") ? "Fast" : "Slow")
        + " error budget burn: "
        + slo.journey()
        + " ("
        + slo.name()
        + ")";
  }

  static String description(Slo slo, List<BurnRate> rates, SloFile file) {
    String conditions =
        rates.stream()
            .map(r -> number(r.factor()) + "x over " + r.longWindow() + " and " + r.shortWindow())
            .collect(Collectors.joining(", or "));
    return "SLO "
        + number(slo.objective())
        + "% of "
        + slo.description()
        + " over "
        + file.window().toDays()
        + "d: the error budget burns at "
        + conditions
        + ". See the SLO overview dashboard.";
  }

  /** The error ratio of the SLI over {@code w}, 0 when there were events but no bad ones. */
  public static String errorRatio(Slo.Sli sli, String w) {
    return switch (sli) {
      case Slo.Events e ->
          "(sum(rate("
              + series(e.metric(), merged(e.select(), e.bad()))
              + "["
              + w
              + "])) or vector(0)) / sum(rate("
              + series(e.metric(), e.select())
              + "["
              + w
              + "]))";
      case Slo.Latency l -> {
        Map<String, String> bucket = new TreeMap<>(l.select());
        bucket.put("le", l.le());
        // Clamped: rate() extrapolates each series on its own, so over a young series the bucket
        // can come out a hair above the count, and an error ratio must not go negative.
        yield "clamp_min(1 - sum(rate("
            + series(l.histogram() + "_bucket", bucket)
            + "["
            + w
            + "])) / sum(rate("
            + series(l.histogram() + "_count", l.select())
            + "["
            + w
            + "])), 0)";
      }
    };
  }

  static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new TreeMap<>(a);
    all.putAll(b);
    return all;
  }

  /** {@code metric{a="1",b="2"}} with labels in name order, or the bare metric. */
  static String series(String metric, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return metric;
    }
    return metric
        + new TreeMap<>(labels)
            .entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
  }

  private static String selector(Slo slo) {
    return "{slo=\"" + slo.name() + "\"}";
  }

  private static String labels(Slo slo) {
    return "        labels:\n"
        + "          slo: "
        + slo.name()
        + "\n"
        + "          journey: "
        + quote(slo.journey())
        + "\n";
  }

  /** A number as PromQL and YAML both read it: 0.995, 14.4, 6 (no trailing .0). */
  public static String number(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
