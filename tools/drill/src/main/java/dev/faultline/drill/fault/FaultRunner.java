package dev.faultline.drill.fault;

import dev.faultline.drill.history.HistoryLog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plays a {@link Schedule} against the suite, one fault at a time: kill, stay down, bring back,
 * wait until the whole suite is steady (every process healthy, every shard synchronous), stay calm,
 * next. A fault starts only if it can plausibly finish before the drill's end. Each step goes into
 * the history as a fault event: {@code kill}, {@code start}, {@code healthy}, {@code steady}.
 */
public record FaultRunner(FaultActions actions, HistoryLog history, PrintStream log) {
  /** One fault as it happened; times on the history's clock (ms since the drill started). */
  public record Struck(
      Target target,
      String instance,
      long killAt,
      long startAt,
      long healthyAt,
      long steadyAt,
      Schedule.Action action) {
    public Struck(
        Target target, String instance, long killAt, long startAt, long healthyAt, long steadyAt) {
      this(target, instance, killAt, startAt, healthyAt, steadyAt, Schedule.Action.KILL);
    }
  }

  /** The longest a fault's restore plus steadying is allowed before the drill gives up on it. */
  public static final Duration STEADY_TIMEOUT = Duration.ofMinutes(3);

  /** What one fault is expected to take beyond its time down: a restart and settling. */
  private static final long RESTORE_ALLOWANCE_MS = 30_000;

  /**
   * Runs faults from {@code plan} in order from {@code startAt} while they fit before {@code
   * endAt}.
   */
  public List<Struck> run(List<Schedule.Planned> plan, long startAt, long endAt) throws Exception {
    List<Struck> struck = new ArrayList<>();
    sleepUntil(startAt);
    for (Schedule.Planned fault : plan) {
      if (history.now() + fault.downFor().toMillis() + RESTORE_ALLOWANCE_MS > endAt) {
        break;
      }
      struck.add(fault.action() == Schedule.Action.PAUSE ? pause(fault) : strike(fault));
      sleepUntil(history.now() + fault.calmAfter().toMillis());
    }
    return struck;
  }

  /**
   * SIGSTOP, frozen past every lease TTL and session timeout, SIGCONT: the paused holder of
   * Kleppmann's example, on the real suite. What the resumed process does late must be refused by
   * fencing; the checks say whether it was. The process is always resumed, even if the drill fails
   * while it is paused.
   */
  private Struck pause(Schedule.Planned fault) throws Exception {
    String instance = actions.resolve(fault.target());
    // Should the drill itself be stopped (Ctrl-C) meanwhile, the frozen process still thaws.
    Thread thaw =
        new Thread(
            () -> {
              try {
                actions.resume(fault.target(), instance);
              } catch (Exception e) {
                log.println("drill: could not resume " + instance + ": " + e);
              }
            });
    Runtime.getRuntime().addShutdownHook(thaw);
    actions.pause(instance);
    long pausedAt = history.now();
    history.fault("pause", instance);
    say("paused %s (SIGSTOP) for %.1f s", instance, fault.downFor().toMillis() / 1e3);
    long resumedAt;
    try {
      sleepUntil(pausedAt + fault.downFor().toMillis());
    } finally {
      resumedAt = history.now();
      history.fault("resume", instance);
      Runtime.getRuntime().removeShutdownHook(thaw);
      actions.resume(fault.target(), instance);
    }
    long healthyAt = history.now();
    history.fault("healthy", instance);
    long steadyAt = awaitSteady(instance);
    say(
        "%s resumed (SIGCONT); suite steady %.1f s after the pause",
        instance, (steadyAt - pausedAt) / 1e3);
    return new Struck(
        fault.target(), instance, pausedAt, resumedAt, healthyAt, steadyAt, Schedule.Action.PAUSE);
  }

  private Struck strike(Schedule.Planned fault) throws Exception {
    String instance = actions.resolve(fault.target());
    actions.kill(instance);
    long killAt = history.now();
    history.fault("kill", instance);
    say("killed %s (SIGKILL), down for %.1f s", instance, fault.downFor().toMillis() / 1e3);
    sleepUntil(killAt + fault.downFor().toMillis());
    long startAt = history.now();
    history.fault("start", instance);
    actions.restore(instance);
    long healthyAt = history.now();
    history.fault("healthy", instance);
    long steadyAt = awaitSteady(instance);
    say(
        "%s healthy %.1f s after its start; suite steady %.1f s after the kill",
        instance, (healthyAt - startAt) / 1e3, (steadyAt - killAt) / 1e3);
    return new Struck(fault.target(), instance, killAt, startAt, healthyAt, steadyAt);
  }

  /** Waits until the suite is steady again; fails the drill if it never is. */
  public long awaitSteady(String after) throws Exception {
    long deadline = history.now() + STEADY_TIMEOUT.toMillis();
    while (!actions.steady()) {
      if (history.now() > deadline) {
        throw new IllegalStateException(
            "the suite is not steady " + STEADY_TIMEOUT + " after " + after + " came back");
      }
      Thread.sleep(500);
    }
    long at = history.now();
    history.fault("steady", after);
    return at;
  }

  private void sleepUntil(long at) throws InterruptedException {
    long wait = at - history.now();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, "drill: %6.1fs  " + format + "%n", prepend(history.now() / 1e3, args));
    log.flush();
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
