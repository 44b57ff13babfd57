package dev.faultline.drill.fault;

import dev.faultline.drill.history.HistoryLog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
      struck.add(fault.action() == Schedule.Action.KILL ? strike(fault) : suspend(fault));
      sleepUntil(history.now() + fault.calmAfter().toMillis());
    }
    return struck;
  }

  /**
   * An instance that runs on but cannot act as itself for 8 to 14 s, past every lease TTL and
   * session timeout: frozen (SIGSTOP, then SIGCONT; the paused holder of Kleppmann's example), or
   * cut off from every other process (a partition, then healed). What it does late, or alone, must
   * be refused by fencing; the checks say whether it was. It is always let go, even if the drill
   * fails meanwhile.
   */
  private Struck suspend(Schedule.Planned fault) throws Exception {
    boolean pause = fault.action() == Schedule.Action.PAUSE;
    String start = pause ? "pause" : "partition";
    String end = pause ? "resume" : "heal";
    String instance = actions.resolve(fault.target());
    Callable<Void> letGo =
        () -> {
          if (pause) {
            actions.resume(fault.target(), instance);
          } else {
            actions.heal(fault.target(), instance);
          }
          return null;
        };
    // Should the drill itself be stopped (Ctrl-C) meanwhile, the instance is still let go.
    Thread hook =
        new Thread(
            () -> {
              try {
                letGo.call();
              } catch (Exception e) {
                log.println("drill: could not " + end + " " + instance + ": " + e);
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    if (pause) {
      actions.pause(instance);
    } else {
      actions.partition(instance);
    }
    long at = history.now();
    history.fault(start, instance);
    say(
        pause ? "paused %s (SIGSTOP) for %.1f s" : "cut %s off from every other process for %.1f s",
        instance,
        fault.downFor().toMillis() / 1e3);
    long endedAt;
    try {
      sleepUntil(at + fault.downFor().toMillis());
    } finally {
      endedAt = history.now();
      history.fault(end, instance);
      Runtime.getRuntime().removeShutdownHook(hook);
      letGo.call();
    }
    long healthyAt = history.now();
    history.fault("healthy", instance);
    long steadyAt = awaitSteady(instance);
    say(
        "%s %s; suite steady %.1f s after the %s",
        instance, pause ? "resumed (SIGCONT)" : "healed", (steadyAt - at) / 1e3, start);
    return new Struck(fault.target(), instance, at, endedAt, healthyAt, steadyAt, fault.action());
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
