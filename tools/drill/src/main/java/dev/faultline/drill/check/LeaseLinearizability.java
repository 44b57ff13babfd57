package dev.faultline.drill.check;

import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.History;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lock histories checked against a model of a lease lock, in the style of Knossos and Porcupine: is
 * there an order of the operations on one lock, each placed at a point between its invocation and
 * its answer, that a single correct lease lock would have produced? Per lock name (locks are
 * independent, so each is checked alone), a depth-first search over the operations that may come
 * next (Wing and Gong's algorithm, with Lowe's memo of visited configurations), under a step
 * budget: a history too tangled to settle within it is reported inconclusive, never as a pass or a
 * violation.
 *
 * <p>The model, with time: a lock is free or held by one lease, which may be taken to have expired
 * only once its TTL has run from the invocation of its grant or latest renewal (the server starts
 * its clock when it sees the request, never earlier). A grant needs the lock free or its lease
 * expirable, and a fencing token above every earlier grant's; a renewal or release needs the lease
 * to be the holder; a "gone" answer (410) needs it not to be, or to be expirable; a "busy" answer
 * (409) needs the lock held. An operation whose outcome the client never learned may have taken
 * effect at any point after its invocation, or not at all. Each operation is placed at its earliest
 * feasible point, which leaves the most room to the rest: the state after it does not depend on
 * where in its interval it falls.
 *
 * <p>An acquire whose answer was lost may still be granted, and its holder may then learn of it:
 * asking again while it holds the lock, a holder gets its lease back (a retried acquire is safe).
 * So a grant answered to the holder of an unknown grant may be that grant revealed, with the token
 * it was created with, rather than a new one. The drill's partition of a lock service showed it: an
 * acquire stuck in the cut-off instance went through when the partition healed, after its client
 * had given up, kept another client busy, and came back to its holder on the next cycle.
 */
final class LeaseLinearizability {
  /** What an operation's answer was, as the model needs it. */
  enum Answer {
    GRANTED,
    BUSY,
    RENEWED,
    RELEASED,
    GONE,
    /** A release answered 410 after a retry: the first attempt may have released it itself. */
    RELEASED_OR_GONE,
    MAYBE_GRANTED,
    MAYBE_RENEWED,
    MAYBE_RELEASED
  }

  /**
   * One lock operation: when it was sent and answered (unknown: never), what it said, and for an
   * acquire, the holder it asked for.
   */
  record Op(
      int index,
      Answer answer,
      long invoke,
      long response,
      @Nullable String leaseId,
      long token,
      long ttlMs,
      @Nullable String holder) {
    Op at(int newIndex) {
      return new Op(newIndex, answer, invoke, response, leaseId, token, ttlMs, holder);
    }

    boolean definite() {
      return switch (answer) {
        case MAYBE_GRANTED, MAYBE_RENEWED, MAYBE_RELEASED -> false;
        default -> true;
      };
    }

    String describe() {
      return answer.name().toLowerCase(java.util.Locale.ROOT)
          + (leaseId == null ? "" : " lease " + leaseId)
          + (answer == Answer.GRANTED ? " token " + token : "")
          + " (sent at "
          + invoke
          + " ms"
          + (definite() ? ", answered at " + response + " ms)" : ", never answered)");
    }
  }

  /** The search's verdict on one lock. */
  sealed interface Verdict {
    record Linearizable(int operations, long steps) implements Verdict {}

    record Violated(String detail) implements Verdict {}

    record Inconclusive(int operations, long steps) implements Verdict {}
  }

  /**
   * The lock as the model sees it: its holder's lease (null: free), when that lease may expire, the
   * holder's token and the highest token granted; for a grant nobody was told of, its holder.
   */
  private record State(
      @Nullable String holder,
      long expirableAt,
      long holderToken,
      long lastToken,
      @Nullable String unknownHolder) {
    State(@Nullable String holder, long expirableAt, long holderToken, long lastToken) {
      this(holder, expirableAt, holderToken, lastToken, null);
    }

    State free() {
      return new State(null, 0, 0, lastToken);
    }

    State extended(long until) {
      return new State(holder, Math.max(expirableAt, until), holderToken, lastToken, unknownHolder);
    }
  }

  private record Visited(BitSet done, State state, long point) {}

  private final List<Op> ops;
  private final long budget;
  private final Set<Visited> visited = new HashSet<>();
  private long steps;
  private int deepest;
  private @Nullable Op stuckAt;

  private LeaseLinearizability(List<Op> ops, long budget) {
    this.ops = ops;
    this.budget = budget;
  }

  /** Every lock's verdict, from a drill's history. */
  static Map<String, Verdict> check(History history, long budgetPerLock) {
    Map<String, List<Op>> byLock = new LinkedHashMap<>();
    long defaultTtl = 0;
    for (History.Operation op : history.operations()) {
      if (op.kind().equals("lock-acquire") && op.result("ttlMs") != null) {
        defaultTtl = Math.max(defaultTtl, Long.parseLong(op.result("ttlMs")));
      }
    }
    for (History.Operation op : history.operations()) {
      String lock = op.invoke().args().get("lock");
      if (lock == null || !op.kind().startsWith("lock-")) {
        continue;
      }
      List<Op> list = byLock.computeIfAbsent(lock, l -> new ArrayList<>());
      for (Op parsed : parse(op, defaultTtl)) {
        list.add(parsed.at(list.size()));
      }
    }
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    byLock.forEach((lock, list) -> verdicts.put(lock, check(list, budgetPerLock)));
    return verdicts;
  }

  static Verdict check(List<Op> ops, long budget) {
    // A lease ID names one grant: every answer that hands it out carries the same token.
    Map<String, Long> tokens = new java.util.HashMap<>();
    for (Op op : ops) {
      if (op.answer() == Answer.GRANTED && op.leaseId() != null) {
        Long earlier = tokens.putIfAbsent(op.leaseId(), op.token());
        if (earlier != null && earlier != op.token()) {
          return new Verdict.Violated(
              "lease "
                  + op.leaseId()
                  + " was granted with tokens "
                  + earlier
                  + " and "
                  + op.token());
        }
      }
    }
    List<Op> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparingLong(Op::invoke));
    List<Op> indexed = new ArrayList<>();
    for (Op op : sorted) {
      indexed.add(op.at(indexed.size()));
    }
    LeaseLinearizability search = new LeaseLinearizability(indexed, budget);
    try {
      if (search.search(new BitSet(), new State(null, 0, 0, Long.MIN_VALUE), Long.MIN_VALUE, 0)) {
        return new Verdict.Linearizable(indexed.size(), search.steps);
      }
    } catch (BudgetExhausted e) {
      return new Verdict.Inconclusive(indexed.size(), search.steps);
    }
    return new Verdict.Violated(
        "no order of its "
            + indexed.size()
            + " lock operations fits a lease lock; every attempt stops after "
            + search.deepest
            + " of them, at "
            + (search.stuckAt == null ? "the start" : search.stuckAt.describe()));
  }

  private static final class BudgetExhausted extends RuntimeException {
    BudgetExhausted() {
      super(null, null, false, false);
    }
  }

  /**
   * The operation a drill history records, as the model reads it (nothing when it had no effect),
   * and what its earlier attempts may have done: a client that retried gave up on an attempt that
   * may still land, at any later time (its server was paused, say). An abandoned acquire may grant
   * a lease nobody learns of; a renewal may extend; a release may end the lease it names.
   */
  private static List<Op> parse(History.Operation op, long defaultTtl) {
    Op answer = parseAnswer(op, defaultTtl);
    List<Op> all = new ArrayList<>();
    if (answer != null) {
      all.add(answer);
    }
    String attempts = op.result("attempts");
    int abandoned = attempts == null ? 0 : Integer.parseInt(attempts) - 1;
    Answer maybe =
        switch (op.kind()) {
          case "lock-acquire" -> Answer.MAYBE_GRANTED;
          case "lock-renew" -> Answer.MAYBE_RENEWED;
          case "lock-release" -> Answer.MAYBE_RELEASED;
          default -> null;
        };
    String leaseId = op.invoke().args().get("leaseId");
    String holder = op.invoke().args().get("holder");
    long ttl = answer != null ? answer.ttlMs() : defaultTtl;
    for (int i = 0; maybe != null && i < abandoned; i++) {
      all.add(new Op(-1, maybe, op.invoke().at(), Long.MAX_VALUE, leaseId, 0, ttl, holder));
    }
    return all;
  }

  private static @Nullable Op parseAnswer(History.Operation op, long defaultTtl) {
    long invoke = op.invoke().at();
    long response = op.complete().map(Event.Complete::at).orElse(Long.MAX_VALUE);
    boolean unknown = op.is(Event.Outcome.UNKNOWN);
    String http = op.result("http");
    String leaseId =
        op.result("leaseId") != null ? op.result("leaseId") : op.invoke().args().get("leaseId");
    long ttl =
        op.result("ttlMs") != null
            ? Long.parseLong(op.result("ttlMs"))
            : op.invoke().args().get("ttlMs") != null
                ? Long.parseLong(op.invoke().args().get("ttlMs"))
                : defaultTtl;
    Answer answer =
        switch (op.kind()) {
          case "lock-acquire" ->
              op.is(Event.Outcome.OK)
                  ? Answer.GRANTED
                  : unknown ? Answer.MAYBE_GRANTED : "409".equals(http) ? Answer.BUSY : null;
          case "lock-renew" ->
              op.is(Event.Outcome.OK)
                  ? Answer.RENEWED
                  : unknown ? Answer.MAYBE_RENEWED : "410".equals(http) ? Answer.GONE : null;
          case "lock-release" ->
              op.is(Event.Outcome.OK)
                  ? Answer.RELEASED
                  : unknown
                      ? Answer.MAYBE_RELEASED
                      : "410".equals(http)
                          ? (retried(op) ? Answer.RELEASED_OR_GONE : Answer.GONE)
                          : null;
          default -> null;
        };
    if (answer == null) {
      return null; // refused before it touched the lock (403, 400, 503): no effect to explain
    }
    long token =
        answer == Answer.GRANTED && op.result("fencingToken") != null
            ? Long.parseLong(op.result("fencingToken"))
            : 0;
    return new Op(
        -1,
        answer,
        invoke,
        unknown ? Long.MAX_VALUE : response,
        leaseId,
        token,
        ttl,
        op.invoke().args().get("holder"));
  }

  private static boolean retried(History.Operation op) {
    String attempts = op.result("attempts");
    return attempts != null && Integer.parseInt(attempts) > 1;
  }

  /** Whether the operations not in {@code done} can follow, from {@code state} at {@code point}. */
  private boolean search(BitSet done, State state, long point, int depth) {
    if (++steps > budget) {
      throw new BudgetExhausted();
    }
    if (depth > deepest) {
      deepest = depth;
      stuckAt = null;
    }
    long earliestAnswer = Long.MAX_VALUE;
    boolean definiteLeft = false;
    for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
      Op op = ops.get(i);
      if (op.definite()) {
        definiteLeft = true;
        earliestAnswer = Math.min(earliestAnswer, op.response());
      }
    }
    if (!definiteLeft) {
      return true; // what is left never answered: it may simply not have happened
    }
    if (!visited.add(new Visited((BitSet) done.clone(), state, point))) {
      return false;
    }
    // Next can be any operation sent before the first answer among those left (real-time order).
    for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
      Op op = ops.get(i);
      if (op.invoke() > earliestAnswer) {
        break; // sorted by invocation: none after this may come first
      }
      long from = Math.max(point, op.invoke());
      List<Step> steps = apply(op, state, from);
      for (Step step : steps) {
        done.set(i);
        boolean ok = search(done, step.state(), step.point(), depth + 1);
        done.clear(i);
        if (ok) {
          return true;
        }
      }
      if (steps.isEmpty() && depth == deepest && stuckAt == null && op.definite()) {
        stuckAt = op;
      }
    }
    return false;
  }

  private record Step(State state, long point) {}

  /**
   * The model: where {@code op} may take the lock placed at its earliest point from {@code from}
   * (none if it cannot; two when a grant may be new or an unknown one revealed).
   */
  private static List<Step> apply(Op op, State s, long from) {
    Step step = applyOne(op, s, from);
    boolean revealable =
        op.answer() == Answer.GRANTED
            && s.unknownHolder() != null
            && s.unknownHolder().equals(op.holder())
            && op.token() > s.lastToken()
            && from <= op.response();
    if (!revealable) {
      return step == null ? List.of() : List.of(step);
    }
    // The unknown grant was this holder's: the answer hands it its lease, with the token the
    // grant was made with, and renews it.
    Step revealed =
        new Step(
            new State(
                op.leaseId(),
                Math.max(s.expirableAt(), op.invoke() + op.ttlMs()),
                op.token(),
                op.token()),
            from);
    return step == null ? List.of(revealed) : List.of(revealed, step);
  }

  private static @Nullable Step applyOne(Op op, State s, long from) {
    boolean mine = op.leaseId() != null && op.leaseId().equals(s.holder());
    long expiry = s.holder() == null ? from : Math.max(from, s.expirableAt());
    return switch (op.answer()) {
      case GRANTED -> {
        if (mine) {
          // The holder asked again (a new cycle after an unanswered release): the same lease.
          yield op.token() != s.holderToken() || from > op.response()
              ? null
              : new Step(s.extended(op.invoke() + op.ttlMs()), from);
        }
        if (expiry > op.response() || op.token() <= s.lastToken()) {
          yield null;
        }
        yield new Step(
            new State(op.leaseId(), op.invoke() + op.ttlMs(), op.token(), op.token()), expiry);
      }
      case MAYBE_GRANTED ->
          new Step(
              new State(
                  "unknown-grant-" + op.index(),
                  expiry + op.ttlMs(),
                  s.lastToken(),
                  s.lastToken(),
                  op.holder()),
              expiry);
      case BUSY -> s.holder() == null || from > op.response() ? null : new Step(s, from);
      case RENEWED ->
          !mine || from > op.response()
              ? null
              : new Step(s.extended(op.invoke() + op.ttlMs()), from);
      case MAYBE_RENEWED -> new Step(mine ? s.extended(op.invoke() + op.ttlMs()) : s, from);
      case RELEASED -> !mine || from > op.response() ? null : new Step(s.free(), from);
      case MAYBE_RELEASED -> new Step(mine ? s.free() : s, from);
      case RELEASED_OR_GONE -> from > op.response() ? null : new Step(mine ? s.free() : s, from);
      case GONE -> {
        if (!mine) {
          yield from > op.response() ? null : new Step(s, from);
        }
        yield expiry > op.response() ? null : new Step(s.free(), expiry);
      }
    };
  }
}
