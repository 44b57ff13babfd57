package dev.faultline.drill.reshard;

import dev.faultline.drill.history.HistoryLog;
import dev.faultline.drill.suite.Resharding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code --reshard}: while the load runs and faults strike, a shard is added at one moment (its
 * nodes started, its share of the slots moved to it) and removed again at a later one (drained back
 * to the others, its nodes stopped). Each step waits for the router's job to end; a step that fails
 * is a violation of its own, and the invariant checks afterwards say whether anything was lost,
 * duplicated or left on two shards by the moves. Steps go into the history as fault events: {@code
 * reshard-add}, {@code reshard-added}, {@code reshard-remove}, {@code reshard-removed}.
 */
public record ReshardRunner(Resharding resharding, HistoryLog history, PrintStream log) {
  /** How {@code bin/suite shards add} names the shard it registered. */
  private static final Pattern REGISTERED = Pattern.compile("shard (\\d+) registered");

  /**
   * One step as it happened, on the history's clock.
   *
   * @param kind {@code add} or {@code remove}
   * @param shard the shard added or removed (-1 if an add failed before it was named)
   * @param error why it failed, or null if its job ended DONE
   */
  public record Step(String kind, int shard, long startMs, long endMs, @Nullable String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Adds a shard at {@code addAt} and removes it at {@code removeAt} (or when the add ends, if
   * later). A failed add is not followed by a remove: what is left is for the operator to see.
   */
  public List<Step> run(long addAt, long removeAt) throws InterruptedException {
    List<Step> steps = new ArrayList<>();
    sleepUntil(addAt);
    long start = history.now();
    history.fault("reshard-add", "shards");
    say("adding a shard (bin/suite shards add)");
    int shard;
    try {
      String output = resharding.add();
      Matcher named = REGISTERED.matcher(output);
      if (!named.find()) {
        throw new IllegalStateException("no 'shard N registered' in: " + output);
      }
      shard = Integer.parseInt(named.group(1));
    } catch (Exception e) {
      steps.add(new Step("add", -1, start, history.now(), message(e)));
      say("adding a shard failed: %s", message(e));
      return steps;
    }
    steps.add(new Step("add", shard, start, history.now(), null));
    history.fault("reshard-added", "shard-" + shard);
    say("shard %d added, its slots moved, %.1f s after the start", shard, seconds(start));

    sleepUntil(removeAt);
    start = history.now();
    history.fault("reshard-remove", "shard-" + shard);
    say("removing shard %d (bin/suite shards remove %d)", shard, shard);
    try {
      resharding.remove(shard);
    } catch (Exception e) {
      steps.add(new Step("remove", shard, start, history.now(), message(e)));
      say("removing shard %d failed: %s", shard, message(e));
      return steps;
    }
    steps.add(new Step("remove", shard, start, history.now(), null));
    history.fault("reshard-removed", "shard-" + shard);
    say("shard %d drained and removed %.1f s after the start", shard, seconds(start));
    return steps;
  }

  private double seconds(long since) {
    return (history.now() - since) / 1e3;
  }

  private static String message(Exception e) {
    String m = String.valueOf(e.getMessage());
    // bin/suite's whole output is in the message; its end says what went wrong.
    return m.length() > 2_000 ? "..." + m.substring(m.length() - 2_000) : m;
  }

  private void sleepUntil(long at) throws InterruptedException {
    long wait = at - history.now();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private void say(String format, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = history.now() / 1e3;
    System.arraycopy(args, 0, all, 1, args.length);
    log.printf(Locale.ROOT, "drill: %6.1fs  reshard: " + format + "%n", all);
    log.flush();
  }
}
