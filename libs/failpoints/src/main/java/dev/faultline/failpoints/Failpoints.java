package dev.faultline.failpoints;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash points armed from the environment, read once at class load:
 *
 * <pre>
 * FAULTLINE_FAILPOINTS="order-saga.charged=crash"            die at the first hit
 * FAULTLINE_FAILPOINTS="payment.charge.committed=crash@3"    die at the third hit
 * FAULTLINE_FAILPOINTS="order-saga.charged=sleep:2000"       stall 2 s at every hit
 * </pre>
 *
 * A crash is {@link Runtime#halt}: no shutdown hooks, no graceful close of connections or ZooKeeper
 * sessions, nothing flushed, so the process leaves the world exactly as a SIGKILL at that line
 * would. The system property {@code faultline.failpoints} works the same way and wins over the
 * environment.
 */
public final class Failpoints {
  private static final Logger log = LoggerFactory.getLogger(Failpoints.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  private static final Pattern ACTION =
      Pattern.compile("crash(?:@([1-9][0-9]{0,5}))?|sleep:([0-9]{1,7})");

  /** What an armed failpoint does when hit. */
  public sealed interface Action {
    /** Halts the JVM at the {@code nth} hit (counting from 1). */
    record Crash(int nth) implements Action {}

    /** Sleeps at every hit, as a stalled thread or a long pause would. */
    record Sleep(long millis) implements Action {}
  }

  private static final Map<String, Action> ARMED =
      parse(
          firstNonBlank(
              System.getProperty("faultline.failpoints"), System.getenv("FAULTLINE_FAILPOINTS")));
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

  static {
    if (!ARMED.isEmpty()) {
      log.warn("failpoints armed: {}", ARMED);
    }
  }

  private Failpoints() {}

  private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  /**
   * For tests in the same JVM: the next {@code times} hits of {@code name} throw {@link
   * InjectedFailure}, as the step there failing would (a node gone, a timeout), without halting.
   */
  public static void failNext(String name, int times) {
    if (!NAME.matcher(name).matches() || times < 1) {
      throw new IllegalArgumentException("failNext(" + name + ", " + times + ")");
    }
    FAILURES.computeIfAbsent(name, n -> new AtomicInteger()).addAndGet(times);
  }

  /** What {@link #failNext} makes a failpoint throw. */
  public static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String name) {
      super("failpoint " + name + ": injected failure");
    }
  }

  /** Marks a failpoint; does nothing unless it is armed. */
  public static void hit(String name) {
    if (!FAILURES.isEmpty()) {
      AtomicInteger left = FAILURES.get(name);
      if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        log.warn("failpoint {} hit: injected failure", name);
        throw new InjectedFailure(name);
      }
    }
    Action action = ARMED.get(name);
    if (action == null) {
      return;
    }
    switch (action) {
      case Action.Crash(int nth) -> {
        int hit = HITS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (hit == nth) {
          // Logged first so the drill's report can show where the process died.
          log.error("failpoint {} hit ({}): halting the JVM as a SIGKILL would", name, hit);
          System.err.println("failpoint " + name + ": crash");
          Runtime.getRuntime().halt(137);
        }
      }
      case Action.Sleep(long millis) -> {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Parses {@code name=action[,name=action]}; a malformed spec fails loudly at start. */
  static Map<String, Action> parse(@Nullable String spec) {
    Map<String, Action> armed = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return Map.of();
    }
    for (String entry : spec.split(",")) {
      String[] parts = entry.trim().split("=", 2);
      if (parts.length != 2 || !NAME.matcher(parts[0]).matches()) {
        throw new IllegalArgumentException(
            "failpoint '" + entry + "': expected name=crash, name=crash@N or name=sleep:MS");
      }
      Matcher action = ACTION.matcher(parts[1].trim());
      if (!action.matches()) {
        throw new IllegalArgumentException(
            "failpoint '" + entry + "': the action must be crash, crash@N or sleep:MS");
      }
      armed.put(
          parts[0],
          action.group(2) != null
              ? new Action.Sleep(Long.parseLong(action.group(2)))
              : new Action.Crash(action.group(1) == null ? 1 : Integer.parseInt(action.group(1))));
    }
    return Map.copyOf(armed);
  }

  private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
