package dev.faultline.drill.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.drill.check.Checker;
import dev.faultline.drill.check.Violation;
import dev.faultline.drill.fault.FaultKind;
import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.fault.Target;
import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.Event.Outcome;
import dev.faultline.drill.history.History;
import dev.faultline.drill.reshard.ReshardRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class AnalysisTests {
  private final List<Event> events = new ArrayList<>();
  private long nextOp = 1;

  private void op(String kind, long at, long took, Outcome outcome) {
    long op = nextOp++;
    events.add(new Event.Invoke(op, kind, at, Map.of()));
    events.add(new Event.Complete(op, outcome, at + took, Map.of()));
  }

  private static final FaultRunner.Struck KILL =
      new FaultRunner.Struck(
          new Target("order-service-1", "order-service", FaultKind.SERVICES),
          "order-service-1",
          10_000,
          15_000,
          30_000,
          33_000);

  @Test
  void windowsTotalsAndLatencies() {
    for (int i = 0; i < 100; i++) {
      op("place-order", i * 40L, 10 + i, Outcome.OK); // 0 .. 4 s: 100 ops, 10..109 ms
    }
    op("lock-acquire", 6_000, 1_000, Outcome.FAIL);
    op("deposit", 7_000, 5_000, Outcome.UNKNOWN);

    Analysis a = Analysis.of(new History(events), List.of());

    assertThat(a.totals()).isEqualTo(new Analysis.Totals(102, 100, 1, 1));
    assertThat(a.totals().availability()).isEqualTo(101 / 102.0);
    assertThat(a.windows()).hasSize(2);
    assertThat(a.windows().get(0)).isEqualTo(new Analysis.Window(0, 100, 0, 0, 59, 108));
    assertThat(a.windows().get(1).unknown()).isEqualTo(1);
    assertThat(a.latencyByKind().get("place-order").maxMs()).isEqualTo(109);
    assertThat(a.byKind().get("deposit").unknown()).isEqualTo(1);
  }

  @Test
  void aFaultsErrorsLastUntilTheLastErringOperationInvokedBeforeTheSuiteIsSteady() {
    op("place-order", 9_000, 50, Outcome.OK);
    op("place-order", 10_500, 5_000, Outcome.UNKNOWN); // 0.5 s after the kill
    op("place-order", 12_000, 300, Outcome.UNKNOWN); // 2 s after: the last one
    op("place-order", 14_000, 80, Outcome.OK);
    op("place-order", 40_000, 5_000, Outcome.UNKNOWN); // after steady: not this fault's

    Analysis a = Analysis.of(new History(events), List.of(KILL));

    Analysis.FaultImpact impact = a.faults().getFirst();
    assertThat(impact.errorsForMs()).isEqualTo(2_000);
    assertThat(impact.downMs()).isEqualTo(5_000);
    assertThat(impact.restartMs()).isEqualTo(15_000);
    assertThat(impact.steadyAfterKillMs()).isEqualTo(23_000);
    assertThat(impact.unknown()).isEqualTo(2);
    assertThat(a.byGroup().get("order-service").maxErrorsForMs()).isEqualTo(2_000);
    assertThat(a.latencyDuringFaults().samples()).isEqualTo(3);
    assertThat(a.latencyOutsideFaults().samples()).isEqualTo(2);
  }

  @Test
  void theVerdictLineAndThePageSayWhatFailed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    op("place-order", 1_000, 50, Outcome.OK);
    Analysis a = Analysis.of(new History(events), List.of(KILL));
    var checks =
        DrillReport.byCheck(
            List.of(new Violation("money", "order o-1 <double>"), new Violation("money", "x")));

    String verdict = DrillReport.verdict(checks, a, 1, Path.of("r.html"));
    var slo =
        new dev.faultline.drill.slo.SloSection(
            "http://127.0.0.1:9090",
            null,
            List.of(
                new dev.faultline.drill.slo.SloSection.Result(
                    "place-order-availability",
                    "place an order",
                    99.5,
                    0.04,
                    8.0,
                    0.0003,
                    List.of(
                        new dev.faultline.drill.slo.SloSection.Point(0, 0),
                        new dev.faultline.drill.slo.SloSection.Point(1_000, 8))),
                new dev.faultline.drill.slo.SloSection.Result(
                    "payment-latency", "pay", 99, null, null, 0, List.of())),
            List.of(
                new dev.faultline.drill.slo.SloSection.AlertSpan(
                    "SLOBurnRatePage", "slo=place-order-availability", "page", "firing", 500, -1)));
    DrillReport report =
        new DrillReport(
            "d-1",
            "now",
            Map.of("seed", 7),
            List.of(),
            List.of(KILL),
            a,
            0,
            checks,
            2,
            verdict,
            slo,
            new Traffic(
                Map.of("order-service", Map.of("order-service-1", 40L, "order-service-2", 38L)),
                Map.of("overloaded", 3L),
                Map.of("concurrency-limit", 3L, "rate-limit", 0L, "retries", 7L)),
            List.of(
                new ReshardRunner.Step("add", 2, 40_000, 71_500, null),
                new ReshardRunner.Step("remove", 2, 80_000, 95_000, "job drain-2-9 FAILED")));
    String html = HtmlReport.render(report);
    report.writeJson(dir.resolve("report.json"));
    assertThat(DrillReport.readJson(dir.resolve("report.json"))).isEqualTo(report);

    assertThat(verdict).startsWith("drill: FAIL 2 violations (money 2); 1 ops");
    assertThat(DrillReport.verdict(DrillReport.byCheck(List.of()), a, 1, Path.of("r.html")))
        .startsWith("drill: PASS 6 checks, 0 violations; 1 ops (100.0% ok");
    assertThat(
            DrillReport.byCheck(List.of(new Violation(Checker.RESHARD, "add failed")), true)
                .get(Checker.RESHARD))
        .containsExactly("add failed");
    assertThat(DrillReport.byCheck(List.of(), true)).hasSize(7);
    assertThat(html).contains("Resharding").contains("31.5 s").contains("job drain-2-9 FAILED");
    assertThat(html).contains("order o-1 &lt;double&gt;").contains("order-service-1");
    // Self-contained: the stylesheet is inlined, with its percentages intact, and what each
    // check proves comes from the checks.
    assertThat(html)
        .contains(".fail{background:#dc2626}")
        .contains("table{border-collapse:collapse;width:100%;")
        .contains(Checker.describe(Checker.MONEY));
    // The SLO section: the burn per SLO, a chart of the one that burned, the alert and when.
    assertThat(html)
        .contains("place-order-availability", "8.0x", "no events", "SLOBurnRatePage", "still");
    // The gateway's part: who served what, and what the gateways refused by cause.
    assertThat(html)
        .contains("Traffic at the gateways", "order-service-2", "51.3%", "concurrency-limit");
    // Every chart is well-formed SVG (a browser draws nothing of a broken one).
    var svgs = html.split("<svg ");
    assertThat(svgs).hasSize(4);
    for (int i = 1; i < svgs.length; i++) {
      String svg = "<svg " + svgs[i].substring(0, svgs[i].indexOf("</svg>") + 6);
      DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(
              new java.io.ByteArrayInputStream(
                  svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }
}
