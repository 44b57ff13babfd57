package dev.faultline.drill.history;

import java.util.Map;

/**
 * One line of a drill's history ({@code history.jsonl}), as Jepsen records one: an operation's
 * invocation, its completion (ok, fail, or unknown: the client cannot tell whether it took effect),
 * or a fault the drill injected. {@code at} is milliseconds since the drill started.
 */
public sealed interface Event {
  long at();

  /** A client starts operation {@code op} of {@code kind} (place-order, cancel, deposit, ...). */
  record Invoke(long op, String kind, long at, Map<String, String> args) implements Event {
    public Invoke {
      args = Map.copyOf(args);
    }
  }

  /**
   * How operation {@code op} ended, with what the client learned ({@code id}, {@code status}...).
   */
  record Complete(long op, Outcome outcome, long at, Map<String, String> result) implements Event {
    public Complete {
      result = Map.copyOf(result);
    }
  }

  /** A fault: {@code action} (kill, start) on {@code target} (order-service-1, zk-2, ...). */
  record Fault(String action, String target, long at) implements Event {}

  enum Outcome {
    /** Acknowledged: it happened, and nothing may lose it. */
    OK,
    /** Definitely refused: it did not happen. */
    FAIL,
    /** Timed out or the connection died: it may or may not have happened. */
    UNKNOWN
  }
}
