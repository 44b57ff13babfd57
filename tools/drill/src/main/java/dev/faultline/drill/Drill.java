package dev.faultline.drill;

import dev.faultline.drill.check.Checker;
import dev.faultline.drill.check.Observed;
import dev.faultline.drill.check.Violation;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.fault.FaultRunner;
import dev.faultline.drill.fault.LoopbackPartition;
import dev.faultline.drill.fault.Schedule;
import dev.faultline.drill.history.History;
import dev.faultline.drill.history.HistoryLog;
import dev.faultline.drill.load.FencedRegister;
import dev.faultline.drill.load.Gateway;
import dev.faultline.drill.load.GatewayCounters;
import dev.faultline.drill.load.Workload;
import dev.faultline.drill.observe.SuiteObserver;
import dev.faultline.drill.report.Analysis;
import dev.faultline.drill.report.DrillReport;
import dev.faultline.drill.report.HtmlReport;
import dev.faultline.drill.report.Traffic;
import dev.faultline.drill.reshard.ReshardRunner;
import dev.faultline.drill.slo.Prometheus;
import dev.faultline.drill.slo.SloSection;
import dev.faultline.drill.suite.ComposeSuite;
import dev.faultline.drill.suite.Deployment;
import dev.faultline.drill.suite.KubernetesSuite;
import dev.faultline.drill.suite.LocalSuite;
import dev.faultline.drill.suite.Resharding;
import dev.faultline.drill.suite.ShardPrimary;
import dev.faultline.monitoring.slo.SloFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/suite drill}: load through the gateway, faults on a seeded schedule, then, once the
 * suite settles, the invariant check over the recorded history and the observed end state. See
 * {@link DrillOptions#USAGE}.
 */
public record Drill(DrillOptions options, Deployment suite, PrintStream out) {
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(DrillOptions.USAGE);
      System.exit(0);
    }
    int exit;
    try {
      if (args.length == 2 && args[0].equals("--render")) {
        // Draws a finished drill's report.html again from its report.json.
        Path dir = Path.of(args[1]);
        HtmlReport.write(
            DrillReport.readJson(dir.resolve("report.json")), dir.resolve("report.html"));
        System.out.println("drill: wrote " + dir.resolve("report.html"));
        System.exit(0);
      }
      DrillOptions options = DrillOptions.parse(List.of(args));
      Deployment deployment =
          switch (options.target()) {
            case "compose" -> ComposeSuite.fromEnvironment();
            case "k8s" -> KubernetesSuite.fromEnvironment(options.context(), options.namespace());
            default -> LocalSuite.fromEnvironment();
          };
      try {
        exit = new Drill(options, deployment, System.out).run();
      } finally {
        if (deployment instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("drill: " + e.getMessage() + "\n\n" + DrillOptions.USAGE);
      exit = 2;
    } catch (Exception e) {
      System.out.println("drill: ERROR " + e.getMessage());
      exit = 3;
    }
    System.exit(exit);
  }

  int run() throws Exception {
    Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String id = ID.format(started) + "-s" + options.seed();
    Path dir = suite.drills().resolve(id);
    Gateway gateway = new Gateway(suite.gateways());
    String admin = suite.token("drill-admin", true);
    FaultActions faults = suite.faults(gateway, admin);
    if (Schedule.partitions(options.faultSpec())) {
      Optional<String> why = LoopbackPartition.unavailable();
      if (why.isPresent()) {
        throw new IllegalArgumentException("--faults partition: " + why.get());
      }
    }
    Optional<Resharding> resharding =
        options.reshard() ? suite.resharding() : Optional.<Resharding>empty();
    if (options.reshard() && resharding.isEmpty()) {
      throw new IllegalArgumentException("--reshard: " + suite.target() + " cannot add shards");
    }
    faults.sweep();
    awaitSteady(faults);
    List<Schedule.Planned> plan =
        Schedule.plan(
            Schedule.forGateways(options.faults(), suite.gateways().size()),
            options.seed(),
            20,
            Schedule.kills(options.faultSpec()),
            Schedule.pauses(options.faultSpec()),
            Schedule.partitions(options.faultSpec()),
            Schedule.targets(suite.shardIds(gateway, admin)));
    say(
        "drill %s on %s: %s of load (%.0f actions/s, %d clients), faults from %s, seed %d",
        id,
        suite.target(),
        human(options.duration()),
        options.rate(),
        options.clients(),
        options.faults().isEmpty() ? "none" : String.join(",", options.faults()),
        options.seed());
    say("history and reports in %s", dir);
    if (options.reshard()) {
      say(
          "resharding: a shard added at %s, removed at %s",
          human(options.duration().dividedBy(3)),
          human(options.duration().multipliedBy(2).dividedBy(3)));
    }

    try (HistoryLog history = HistoryLog.create(dir.resolve("history.jsonl"))) {
      ShardPrimary shard0 = new ShardPrimary(suite, gateway, admin, 0);
      FencedRegister register = new FencedRegister(suite, shard0, id);
      register.create();
      String run = Long.toString(started.getEpochSecond(), 36);
      Workload workload =
          new Workload(
              new Workload.Settings(options.clients(), options.rate(), options.seed(), run),
              gateway,
              history,
              register,
              customer -> suite.token(customer, false));
      workload.openAccounts();
      GatewayCounters countersBefore = GatewayCounters.read(gateway.bases());

      long loadStart = history.now();
      long loadEnd = loadStart + options.duration().toMillis();
      AtomicBoolean stop = new AtomicBoolean();
      List<FaultRunner.Struck> struck;
      List<ReshardRunner.Step> reshard = List.of();
      FaultRunner runner = new FaultRunner(faults, history, out);
      try (ExecutorService load = Executors.newFixedThreadPool(2)) {
        Future<?> running =
            load.submit(
                () -> {
                  workload.run(() -> !stop.get());
                  return null;
                });
        Optional<Future<List<ReshardRunner.Step>>> moving =
            resharding.map(
                r ->
                    load.submit(
                        () ->
                            new ReshardRunner(r, history, out)
                                .run(
                                    loadStart + options.duration().toMillis() / 3,
                                    loadStart + options.duration().toMillis() * 2 / 3)));
        try {
          struck = runner.run(plan, history.now() + options.warmup().toMillis(), loadEnd);
          while (history.now() < loadEnd && !running.isDone()) {
            Thread.sleep(200);
          }
          if (moving.isPresent()) {
            // A move that outlasts the load still ends before the checks look at the shards.
            reshard = moving.get().get();
          }
        } finally {
          stop.set(true);
        }
        running.get();
      }
      Instant quietSince = Instant.now();
      long loadStoppedMs = history.now();
      say(
          "load stopped after %d operations; waiting for the suite to settle",
          history.history().operations().size());
      runner.awaitSteady("the load");
      SuiteObserver observer = new SuiteObserver(suite, gateway, admin);
      Duration settled = observer.awaitSagasTerminal(options.sagaBound());
      History recorded = history.history();
      Observed observed = observer.observe(recorded, workload.accounts(), id, quietSince);
      List<Violation> violations =
          new java.util.ArrayList<>(Checker.check(recorded, observed, options.sagaBound()));
      reshard.stream()
          .filter(step -> !step.ok())
          .forEach(
              step ->
                  violations.add(
                      new Violation(
                          Checker.RESHARD,
                          step.kind()
                              + (step.shard() < 0 ? "" : " shard " + step.shard())
                              + " failed: "
                              + step.error())));
      say("locks: %s", Checker.lockModel(recorded));

      Analysis analysis = Analysis.of(recorded, struck);
      Traffic traffic =
          Traffic.of(recorded, GatewayCounters.read(gateway.bases()).since(countersBefore));
      SloSection slo = sloSection(history.startedAt(), loadStoppedMs);
      Map<String, List<String>> checks = DrillReport.byCheck(violations, options.reshard());
      Path html = dir.resolve("report.html");
      String verdict = DrillReport.verdict(checks, analysis, struck.size(), html);
      DrillReport report =
          new DrillReport(
              id,
              started.toString(),
              options.asMap(),
              plan.subList(0, Math.min(plan.size(), struck.size())),
              struck,
              analysis,
              settled.toMillis(),
              checks,
              violations.size(),
              verdict,
              slo,
              traffic,
              options.reshard() ? reshard : null);
      report.writeJson(dir.resolve("report.json"));
      HtmlReport.write(report, html);
      summary(observed, checks, analysis);
      reshard.forEach(
          step ->
              say(
                  "  reshard %-6s shard %d at %.1f s, took %.1f s: %s",
                  step.kind(),
                  step.shard(),
                  step.startMs() / 1e3,
                  (step.endMs() - step.startMs()) / 1e3,
                  step.ok() ? "DONE" : "FAILED"));
      say("traffic: %s", traffic.summary());
      out.println(verdict);
      return violations.isEmpty() ? 0 : 1;
    }
  }

  /**
   * The SLO section of the report, from the deployment's Prometheus if one answers: an unreachable
   * Prometheus is a note in the report, never a failed drill.
   */
  private SloSection sloSection(Instant historyStart, long loadStoppedMs) {
    Prometheus prometheus = new Prometheus(suite.prometheus());
    if (!prometheus.ready()) {
      return SloSection.absent(suite.prometheus().toString());
    }
    try {
      Path repo = Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
      SloSection section =
          SloSection.collect(prometheus, SloFile.of(repo), historyStart, loadStoppedMs);
      long burned = section.slos().stream().filter(r -> r.budgetSpent() > 0).count();
      long fired = section.alerts().stream().filter(a -> a.state().equals("firing")).count();
      say(
          "slo: %d of %d SLOs spent error budget; %d alerts fired (Prometheus %s)",
          burned, section.slos().size(), fired, prometheus.base());
      section.slos().stream()
          .filter(r -> r.budgetSpent() > 0)
          .forEach(
              r ->
                  say(
                      "  slo %-28s %.2f%% of events bad (objective %s%%): burn rate %.1f,"
                          + " %.4f%% of its budget spent",
                      r.name(),
                      r.errorRatio() * 100,
                      r.objective(),
                      r.burnRate(),
                      r.budgetSpent() * 100));
      return section;
    } catch (Exception e) {
      say("slo: could not read Prometheus at %s: %s", prometheus.base(), e.getMessage());
      return SloSection.absent(prometheus.base() + " (" + e.getMessage() + ")");
    }
  }

  /** A drill starts from a steady suite; one just recovering from a fault gets two minutes. */
  private void awaitSteady(FaultActions faults) throws Exception {
    var notRunning = suite.notRunning();
    if (notRunning.isPresent()) {
      throw new IllegalStateException(notRunning.get());
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    boolean said = false;
    while (!faults.steady()) {
      if (System.nanoTime() > deadline) {
        List<String> unhealthy = suite.unhealthy();
        throw new IllegalStateException(
            "the suite is not steady (every process healthy, every shard SYNC) after 2 minutes;"
                + (unhealthy.isEmpty()
                    ? " a shard is not SYNC (GET /api/shards)"
                    : " not healthy: "
                        + String.join(", ", unhealthy)
                        + " ("
                        + suite.startCommand()
                        + ")"));
      }
      if (!said) {
        say("waiting for the suite to be steady (every process healthy, every shard SYNC)");
        said = true;
      }
      Thread.sleep(1_000);
    }
  }

  private void summary(Observed observed, Map<String, List<String>> checks, Analysis analysis) {
    say(
        "observed %d orders, %d sagas still open, %d fenced writes, %d shards",
        observed.orders().size(),
        observed.openSagas().size(),
        observed.fencedWrites().size(),
        observed.shards().size());
    analysis
        .byGroup()
        .forEach(
            (group, impact) ->
                say(
                    "  %-16s %d faults: clients saw errors for at most %.1f s; restart at most %.1f s",
                    group,
                    impact.faults(),
                    impact.maxErrorsForMs() / 1e3,
                    impact.maxRestartMs() / 1e3));
    checks.forEach(
        (name, found) -> {
          say("  check %-7s %s", name, found.isEmpty() ? "pass" : found.size() + " violations");
          found.stream().limit(10).forEach(v -> say("      %s", v));
        });
  }

  private void say(String format, Object... args) {
    out.printf(Locale.ROOT, "drill: " + format + "%n", args);
    out.flush();
  }

  private static String human(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
