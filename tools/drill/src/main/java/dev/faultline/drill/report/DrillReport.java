package dev.faultline.drill.report;

import dev.faultline.drill.check.Checker;
import dev.faultline.drill.check.Violation;
import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.fault.Schedule;
import dev.faultline.drill.reshard.ReshardRunner;
import dev.faultline.drill.slo.SloSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a drill found, as {@code report.json} (for machines and CI) and the one-line verdict.
 * {@link HtmlReport} draws the same record for people.
 */
public record DrillReport(
    String id,
    String startedAt,
    Map<String, Object> options,
    List<Schedule.Planned> plan,
    List<FaultRunner.Struck> faults,
    Analysis analysis,
    long settledInMs,
    Map<String, List<String>> checks,
    int violations,
    String verdict,
    @Nullable SloSection slo,
    @Nullable Traffic traffic,
    @Nullable List<ReshardRunner.Step> reshard) {

  /** Every check by name, in order, with its violations (an empty list: it passed). */
  public static Map<String, List<String>> byCheck(List<Violation> violations) {
    return byCheck(violations, false);
  }

  /** The same, with {@value Checker#RESHARD} when the drill added and removed a shard. */
  public static Map<String, List<String>> byCheck(List<Violation> violations, boolean reshard) {
    Map<String, List<String>> checks = new LinkedHashMap<>();
    List<String> names =
        new java.util.ArrayList<>(
            List.of(
                Checker.LOST,
                Checker.MONEY,
                Checker.LEDGER,
                Checker.SAGAS,
                Checker.LOCKS,
                Checker.PLACEMENT));
    if (reshard) {
      names.add(Checker.RESHARD);
    }
    for (String name : names) {
      checks.put(
          name,
          violations.stream().filter(v -> v.check().equals(name)).map(Violation::detail).toList());
    }
    return checks;
  }

  /** The last line a drill prints: {@code drill: PASS ...} or {@code drill: FAIL ...}. */
  public static String verdict(
      Map<String, List<String>> checks, Analysis analysis, int faults, Path html) {
    int violations = checks.values().stream().mapToInt(List::size).sum();
    Analysis.Totals t = analysis.totals();
    String figures =
        String.format(
            Locale.ROOT,
            "%d ops (%.1f%% ok, %.1f%% answered, %d unknown), %d faults, p99 %d ms (%d ms during"
                + " faults); report %s",
            t.operations(),
            100 * t.okRate(),
            100 * t.availability(),
            t.unknown(),
            faults,
            analysis.latency().p99Ms(),
            analysis.latencyDuringFaults().p99Ms(),
            html);
    if (violations == 0) {
      return "drill: PASS " + checks.size() + " checks, 0 violations; " + figures;
    }
    StringBuilder which = new StringBuilder();
    checks.forEach(
        (name, found) -> {
          if (!found.isEmpty()) {
            which.append(which.isEmpty() ? "" : ", ").append(name).append(' ').append(found.size());
          }
        });
    return "drill: FAIL " + violations + " violations (" + which + "); " + figures;
  }

  /** Reads a {@code report.json} back (to draw its page again). */
  public static DrillReport readJson(Path file) throws IOException {
    return JsonMapper.builder().build().readValue(file.toFile(), DrillReport.class);
  }

  public void writeJson(Path file) throws IOException {
    Files.writeString(
        file,
        JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(this));
  }
}
