package dev.faultline.drill.report;

import dev.faultline.drill.check.Checker;
import dev.faultline.drill.reshard.ReshardRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched)
 * that a person reads in a browser: the verdict, each check, the charts over time (throughput by
 * outcome, latency p50/p99, with every fault drawn across them), the faults and the operations.
 */
public final class HtmlReport {
  private static final String CSS = stylesheet();

  private HtmlReport() {}

  public static void write(DrillReport report, Path file) throws IOException {
    Files.writeString(file, render(report));
  }

  static String render(DrillReport r) {
    Analysis a = r.analysis();
    StringBuilder h = new StringBuilder();
    head(h, r);
    cards(h, r, a);
    invariants(h, r);
    long endMs = Math.max(Analysis.WINDOW_MS, a.lastInvokeMs());
    charts(h, r, a, endMs);
    SloHtml.append(h, r.slo(), r.faults(), endMs);
    faults(h, a);
    reshard(h, r.reshard());
    recovery(h, a);
    operations(h, a);
    traffic(h, r.traffic());
    h.append(
        "<p class=sub style=margin-top:18px>Files beside this page: <code>history.jsonl</code>"
            + " (every operation's invoke and ok / fail / unknown, every fault) and"
            + " <code>report.json</code>.</p></main></body></html>\n");
    return h.toString();
  }

  private static void head(StringBuilder h, DrillReport r) {
    boolean pass = r.violations() == 0;
    h.append(
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>faultline drill %s</title>
        <style>
        %s</style></head><body><main>
        """
            .formatted(Html.esc(r.id()), CSS));
    h.append("<h1>Chaos drill <code>").append(Html.esc(r.id())).append("</code></h1>");
    h.append("<div class=sub>started ")
        .append(Html.esc(r.startedAt()))
        .append(" &middot; ")
        .append(Html.esc(options(r.options())))
        .append("</div>");
    h.append("<div class=\"verdict ")
        .append(pass ? "pass" : "fail")
        .append("\">")
        .append(Html.esc(r.verdict().replaceFirst("; report .*$", "")))
        .append("</div>");
  }

  private static void cards(StringBuilder h, DrillReport r, Analysis a) {
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
  }

  private static void invariants(StringBuilder h, DrillReport r) {
    h.append(
        "<h2>Invariants</h2><table><tr><th>check</th><th>result</th><th>what it proves</th></tr>");
    for (Map.Entry<String, List<String>> check : r.checks().entrySet()) {
      List<String> found = check.getValue();
      h.append("<tr><td><code>").append(Html.esc(check.getKey())).append("</code></td><td>");
      h.append(
          found.isEmpty()
              ? "<span class=ok>pass</span>"
              : "<span class=bad>" + found.size() + " violations</span>");
      h.append("</td><td>").append(Html.esc(Checker.describe(check.getKey())));
      if (!found.isEmpty()) {
        h.append("<ul class=v>");
        found.stream().limit(50).forEach(v -> h.append("<li>").append(Html.esc(v)).append("</li>"));
        h.append("</ul>");
      }
      h.append("</td></tr>");
    }
    h.append("</table>");
  }

  private static void charts(StringBuilder h, DrillReport r, Analysis a, long endMs) {
    h.append(
        "<h2>Throughput by outcome (operations per second, 5 s windows)</h2><div class=panel>");
    h.append(SvgCharts.throughput(a.windows(), r.faults(), endMs, a.lastInvokeMs()));
    h.append(
        "<div class=legend><i style=background:#22c55e></i>ok<i style=background:#94a3b8></i>refused"
            + " (4xx)<i style=background:#ef4444></i>unknown (no answer, 5xx)"
            + "<i style=background:#f59e0b55></i>process down (kill to healthy)"
            + "<i style=background:#f59e0b22></i>until the suite is steady</div></div>");
    h.append("<h2>Latency (ms, per 5 s window, retries included)</h2><div class=panel>");
    h.append(SvgCharts.latency(a.windows(), r.faults(), endMs));
    h.append(
        "<div class=legend><i style=background:#2563eb></i>p50<i style=background:#db2777></i>p99"
            + " &nbsp;(operations invoked in each window, from invocation to completion)</div></div>");
  }

  /** With {@code --reshard}: the shard added and removed under the load, and how long each took. */
  private static void reshard(StringBuilder h, @Nullable List<ReshardRunner.Step> steps) {
    if (steps == null) {
      return;
    }
    h.append(
        "<h2>Resharding</h2><table><tr><th>step</th><th>shard</th><th class=num>at</th>"
            + "<th class=num>took</th><th>result</th></tr>");
    for (ReshardRunner.Step step : steps) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%s</td><td class=num>%.1f s</td><td class=num>%.1f s</td>"
                  + "<td>%s</td></tr>",
              step.kind().equals("add")
                  ? "add (start its nodes, move its share of the slots to it)"
                  : "remove (drain it to the others, stop its nodes)",
              step.shard() < 0 ? "?" : Integer.toString(step.shard()),
              step.startMs() / 1e3,
              (step.endMs() - step.startMs()) / 1e3,
              step.ok()
                  ? "<span class=ok>DONE</span>"
                  : "<span class=bad>FAILED</span> " + Html.esc(step.error())));
    }
    if (steps.isEmpty()) {
      h.append("<tr><td colspan=5>the load ended before the first step</td></tr>");
    }
    h.append("</table>");
  }

  private static void faults(StringBuilder h, Analysis a) {
    h.append(
        "<h2>Faults</h2><table><tr><th>#</th><th>killed, paused or cut off</th><th class=num>at</th>"
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
              Html.esc(f.instance()),
              Html.esc(f.group()),
              f.killAtMs() / 1e3,
              f.downMs() / 1e3,
              f.restartMs() / 1e3,
              f.steadyAfterKillMs() / 1e3,
              f.errorsForMs() / 1e3,
              f.unknown(),
              f.operations()));
    }
    h.append("</table>");
  }

  private static void recovery(StringBuilder h, Analysis a) {
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
                        Html.esc(g),
                        i.faults(),
                        i.maxErrorsForMs() / 1e3,
                        i.meanErrorsForMs() / 1e3,
                        i.maxRestartMs() / 1e3,
                        i.maxSteadyMs() / 1e3)));
    h.append("</table>");
  }

  private static void operations(StringBuilder h, Analysis a) {
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
                        Html.esc(k),
                        c.operations(),
                        c.ok(),
                        c.fail(),
                        c.unknown(),
                        pct(c.availability()),
                        a.latencyByKind().get(k).p50Ms(),
                        a.latencyByKind().get(k).p99Ms(),
                        a.latencyByKind().get(k).maxMs())));
    h.append("</table>");
  }

  /**
   * Which instance served each service's answers (the gateway's {@code Served-By}), with each one's
   * share, and what the gateways refused themselves, by cause, over the drill.
   */
  private static void traffic(StringBuilder h, @Nullable Traffic traffic) {
    if (traffic == null) {
      return;
    }
    h.append(
        "<h2>Traffic at the gateways</h2><table><tr><th>service</th><th>served by</th>"
            + "<th class=num>answers</th><th class=num>share</th></tr>");
    traffic
        .servedBy()
        .forEach(
            (service, instances) -> {
              long total = instances.values().stream().mapToLong(Long::longValue).sum();
              instances.forEach(
                  (instance, n) ->
                      h.append(
                          String.format(
                              Locale.ROOT,
                              "<tr><td>%s</td><td><code>%s</code></td><td class=num>%d</td>"
                                  + "<td class=num>%.1f%%</td></tr>",
                              Html.esc(service),
                              Html.esc(instance),
                              n,
                              100.0 * n / total)));
            });
    h.append("</table>");
    h.append(
        "<table style=margin-top:10px><tr><th>the gateways refused or retried</th>"
            + "<th class=num>count</th></tr>");
    traffic
        .gatewayCounts()
        .forEach(
            (cause, n) ->
                h.append("<tr><td><code>")
                    .append(Html.esc(cause))
                    .append("</code></td><td class=num>")
                    .append(n)
                    .append("</td></tr>"));
    traffic
        .refusedAnswers()
        .forEach(
            (reason, n) ->
                h.append("<tr><td>answers a client got: <code>")
                    .append(Html.esc(reason))
                    .append("</code></td><td class=num>")
                    .append(n)
                    .append("</td></tr>"));
    h.append(
        "</table><p class=sub>Refusals by cause and retries are the gateways' own counters"
            + " (<code>gateway_rejections_total</code>, <code>gateway_retries_total</code>) over"
            + " the drill; a refusal the client retried and got answered later shows here but"
            + " not as a failed operation.</p>");
  }

  private static void card(StringBuilder h, String value, String label) {
    h.append("<div class=card><b>")
        .append(Html.esc(value))
        .append("</b><span>")
        .append(Html.esc(label))
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

  private static String stylesheet() {
    try (var in = HtmlReport.class.getResourceAsStream("report.css")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("report.css is missing from the drill's jar", e);
    }
  }
}
