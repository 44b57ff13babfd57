package dev.faultline.drill.check;

import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The drill's invariants, checked against the recorded history and the observed end state. Unlike a
 * generic checker it knows this suite: what an acknowledged order promises, how money must add up
 * per order and per shard, how long a saga may stay open, and what lock safety means.
 *
 * <ol>
 *   <li>{@value #LOST}: every acknowledged order exists, in the databases and through the API; one
 *       acknowledged CONFIRMED is not REJECTED later (a stale read or a lost update); an
 *       acknowledged cancel ends CANCELLED; an order's acknowledged partial refunds are all in its
 *       refunded amount; every acknowledged deposit is in its account's ledger; and no deposit is
 *       there twice (deposits in the ledger add up to between the acknowledged ones and those plus
 *       the ones whose outcome the client never learned);
 *   <li>{@value #MONEY}: per order at rest, captured - refunded at the payment service is the
 *       order's total less what the order says went back, 0 if REJECTED or CANCELLED, and its
 *       status matches its refunded amount (CONFIRMED none, PARTIALLY_REFUNDED some, REFUNDED all):
 *       no double charge, no charge of a rejected or cancelled order, no lost refund, and no money
 *       back that the order does not know of;
 *   <li>{@value #LEDGER}: the ledger sums to zero on every shard and every balance equals its
 *       entries;
 *   <li>{@value #SAGAS}: no saga is open longer than the bound;
 *   <li>{@value #LOCKS}: fenced writes were accepted in token order, no two clients held leases on
 *       one lock at the same time (as each client saw its lease: from the grant to the release, or
 *       to the TTL counted from when its last confirmed acquire or renew was sent), and each lock's
 *       whole history of acquires, renewals and releases, answers included, fits a model of a lease
 *       lock ({@link LeaseLinearizability}).
 * </ol>
 */
public final class Checker {
  public static final String LOST = "lost";
  public static final String MONEY = "money";
  public static final String LEDGER = "ledger";
  public static final String SAGAS = "sagas";
  public static final String LOCKS = "locks";
  public static final String PLACEMENT = "placement";

  /** With {@code --reshard}: the shard added and removed during the load; its moves ended DONE. */
  public static final String RESHARD = "reshard";

  private static final Set<String> TERMINAL =
      Set.of("CONFIRMED", "REJECTED", "CANCELLED", "PARTIALLY_REFUNDED", "REFUNDED");

  /** Search steps the lock model may take per lock before it calls a history inconclusive. */
  private static final long MODEL_BUDGET = 500_000;

  private Checker() {}

  /**
   * The lock model's verdict per lock, in a line for the drill's summary: how many locks and
   * operations fit, and any the search could not settle within its budget.
   */
  public static String lockModel(History history) {
    Map<String, LeaseLinearizability.Verdict> verdicts =
        LeaseLinearizability.check(history, MODEL_BUDGET);
    int fit = 0;
    int ops = 0;
    long steps = 0;
    List<String> open = new ArrayList<>();
    for (var entry : verdicts.entrySet()) {
      switch (entry.getValue()) {
        case LeaseLinearizability.Verdict.Linearizable l -> {
          fit++;
          ops += l.operations();
          steps += l.steps();
        }
        case LeaseLinearizability.Verdict.Inconclusive i -> open.add(entry.getKey());
        case LeaseLinearizability.Verdict.Violated v -> {}
      }
    }
    return fit
        + " of "
        + verdicts.size()
        + " locks linearizable against the lease-lock model ("
        + ops
        + " operations, "
        + steps
        + " search steps)"
        + (open.isEmpty() ? "" : "; inconclusive within the budget: " + open);
  }

  /** What a check proves, in a sentence, for the report. */
  public static String describe(String check) {
    return switch (check) {
      case LOST ->
          "every acknowledged order exists (databases and API); acknowledged cancels ended"
              + " CANCELLED; acknowledged deposits are all in the ledger";
      case MONEY ->
          "per order, captured - refunded is the total less the order's refunded amount (0 if"
              + " rejected or cancelled), matching its status; no deposit applied twice";
      case LEDGER -> "the ledger sums to zero on every shard; every balance equals its entries";
      case SAGAS -> "every saga is terminal within the bound after the faults stop";
      case PLACEMENT ->
          "every order, account and payment lives on exactly one shard (a slot's move leaves no"
              + " copy behind and makes none twice)";
      case RESHARD ->
          "a shard added under load and faults (its share of the slots moved to it) and removed"
              + " again (drained to the others): both moves ended DONE";
      case LOCKS ->
          "fenced writes accepted in token order (drill register and account balances); no two"
              + " clients held one lock at once; every lock's history is linearizable against a"
              + " lease-lock model";
      default -> "";
    };
  }

  public static List<Violation> check(History history, Observed observed, Duration sagaBound) {
    List<Violation> violations = new ArrayList<>();
    acknowledgedOrders(history, observed, violations);
    acknowledgedCancels(history, observed, violations);
    acknowledgedRefunds(history, observed, violations);
    staleReads(history, violations);
    deposits(history, observed, violations);
    moneyPerOrder(observed, violations);
    ledger(observed, violations);
    sagas(observed, sagaBound, violations);
    fencedWrites(observed, violations);
    leases(history, violations);
    placement(observed, violations);
    return violations;
  }

  private static void placement(Observed observed, List<Violation> violations) {
    for (Observed.Duplicate duplicate : observed.duplicates()) {
      violations.add(
          new Violation(
              PLACEMENT,
              duplicate.key()
                  + " lives on shards "
                  + duplicate.shards()
                  + ": a key must live on exactly one shard"));
    }
  }

  private static void acknowledgedOrders(
      History history, Observed observed, List<Violation> violations) {
    for (History.Operation op : history.operations()) {
      if (!op.kind().equals("place-order") || !op.is(Event.Outcome.OK)) {
        continue;
      }
      String id = op.result("id");
      Observed.OrderState order = id == null ? null : observed.orders().get(id);
      if (order == null) {
        violations.add(
            new Violation(
                LOST,
                "order "
                    + id
                    + " was acknowledged (op "
                    + op.invoke().op()
                    + ") but does not exist"));
      } else if ("CONFIRMED".equals(op.result("status")) && order.status().equals("REJECTED")) {
        violations.add(
            new Violation(LOST, "order " + id + " was acknowledged CONFIRMED but is now REJECTED"));
      } else if (Observed.MISSING.equals(observed.apiStatus().get(id))) {
        violations.add(
            new Violation(LOST, "order " + id + " is in its database but the API answers 404"));
      }
    }
  }

  /**
   * Reads that went back in time: a read of an order that began after the client was told the order
   * exists must find it, and one that began after the client was told the order was past its charge
   * (paid, confirmed, rejected, or any refund or cancel since) must not show it PENDING, nor PAID
   * once it was told more than that. Each answer the client got about an order (its placement, a
   * cancel, a refund, an earlier read) counts, from when it arrived: read-your-writes and monotonic
   * reads, the session guarantees a user expects of one order's page.
   */
  private static void staleReads(History history, List<Violation> violations) {
    // Per order: answers the client got, as (when it arrived, the order's progress it showed).
    Map<String, List<long[]>> told = new HashMap<>();
    for (History.Operation op : history.operations()) {
      if (!op.is(Event.Outcome.OK) || op.complete().isEmpty()) {
        continue;
      }
      String id = op.kind().equals("place-order") ? op.result("id") : op.invoke().args().get("id");
      String status = op.result("status");
      if (id == null
          || !List.of("place-order", "cancel-order", "refund-order", "read-order")
              .contains(op.kind())) {
        continue;
      }
      told.computeIfAbsent(id, k -> new ArrayList<>())
          .add(new long[] {op.complete().get().at(), progress(status)});
    }
    for (History.Operation read : history.operations()) {
      if (!read.kind().equals("read-order") || read.complete().isEmpty()) {
        continue;
      }
      String id = read.invoke().args().get("id");
      long began = read.invoke().at();
      long known = -1;
      for (long[] answer : told.getOrDefault(id, List.of())) {
        if (answer[0] < began) {
          known = Math.max(known, answer[1]);
        }
      }
      if (known < 0) {
        continue;
      }
      boolean missing = "404".equals(read.result("http"));
      if (!read.is(Event.Outcome.OK) && !missing) {
        continue; // no answer about the order (a 5xx, a timeout): nothing shown
      }
      long shown = missing ? -1 : progress(read.result("status"));
      if (shown < known) {
        violations.add(
            new Violation(
                LOST,
                "order "
                    + id
                    + ": a read (op "
                    + read.invoke().op()
                    + ") showed it "
                    + (missing ? "missing (404)" : read.result("status"))
                    + " after the client had been told more (a stale read)"));
      }
    }
  }

  /** How far an order had got: 0 PENDING, 1 PAID, 2 anything after the charge was settled. */
  private static long progress(@Nullable String status) {
    if (status == null || status.isEmpty() || status.equals("PENDING")) {
      return 0;
    }
    return status.equals("PAID") ? 1 : 2;
  }

  /** What acknowledged partial refunds promised an order, against what it says went back. */
  private static void acknowledgedRefunds(
      History history, Observed observed, List<Violation> violations) {
    Map<String, Long> promised = new TreeMap<>();
    for (History.Operation op : history.operations()) {
      if (op.kind().equals("refund-order") && op.is(Event.Outcome.OK)) {
        promised.merge(
            op.invoke().args().get("id"),
            Long.parseLong(op.invoke().args().get("amountCents")),
            Long::sum);
      }
    }
    promised.forEach(
        (id, cents) -> {
          Observed.OrderState order = observed.orders().get(id);
          if (order != null && order.refundedCents() < cents) {
            violations.add(
                new Violation(
                    LOST,
                    "order "
                        + id
                        + ": partial refunds of "
                        + cents
                        + " cents were acknowledged but it shows "
                        + order.refundedCents()
                        + " refunded"));
          }
        });
  }

  private static void acknowledgedCancels(
      History history, Observed observed, List<Violation> violations) {
    for (History.Operation op : history.operations()) {
      if (!op.kind().equals("cancel-order") || !op.is(Event.Outcome.OK)) {
        continue;
      }
      String id = op.invoke().args().get("id");
      Observed.OrderState order = observed.orders().get(id);
      if (order != null && !order.status().equals("CANCELLED")) {
        violations.add(
            new Violation(
                LOST,
                "order "
                    + id
                    + ": its cancel was acknowledged (op "
                    + op.invoke().op()
                    + ") but it ended "
                    + order.status()));
      }
    }
  }

  /** Per account: acknowledged &lt;= deposited &lt;= acknowledged + unknown (nothing twice). */
  private static void deposits(History history, Observed observed, List<Violation> violations) {
    Map<String, long[]> asked = new HashMap<>(); // account -> {acknowledged, unknown}
    for (History.Operation op : history.operations()) {
      if (!op.kind().equals("deposit") || op.is(Event.Outcome.FAIL)) {
        continue;
      }
      long cents = Long.parseLong(op.invoke().args().get("amountCents"));
      long[] sums = asked.computeIfAbsent(op.invoke().args().get("account"), a -> new long[2]);
      sums[op.is(Event.Outcome.OK) ? 0 : 1] += cents;
    }
    asked.forEach(
        (account, sums) -> {
          Long deposited = observed.depositedCents().get(account);
          if (deposited == null) {
            return;
          }
          if (deposited < sums[0]) {
            violations.add(
                new Violation(
                    LOST,
                    "account "
                        + account
                        + ": "
                        + sums[0]
                        + " cents of deposits were acknowledged, the ledger holds "
                        + deposited));
          } else if (deposited > sums[0] + sums[1]) {
            violations.add(
                new Violation(
                    MONEY,
                    "account "
                        + account
                        + ": the ledger holds "
                        + deposited
                        + " cents of deposits, more than the "
                        + (sums[0] + sums[1])
                        + " ever asked for (a deposit applied twice)"));
          }
        });
  }

  private static void moneyPerOrder(Observed observed, List<Violation> violations) {
    for (Observed.OrderState order : observed.orders().values()) {
      if (!TERMINAL.contains(order.status())) {
        continue; // the saga check reports it
      }
      Observed.PaymentState payment = observed.payments().get(order.id());
      long net = payment == null ? 0 : payment.netCents();
      long kept = order.totalCents() - order.refundedCents();
      long expected =
          switch (order.status()) {
            case "CONFIRMED", "PARTIALLY_REFUNDED", "REFUNDED" -> kept;
            default -> 0;
          };
      boolean statusMatches =
          switch (order.status()) {
            case "CONFIRMED" -> order.refundedCents() == 0;
            case "PARTIALLY_REFUNDED" -> order.refundedCents() > 0 && kept > 0;
            case "REFUNDED" -> kept == 0;
            default -> true;
          };
      if (net != expected || !statusMatches) {
        violations.add(
            new Violation(
                MONEY,
                "order "
                    + order.id()
                    + " is "
                    + order.status()
                    + " (total "
                    + order.totalCents()
                    + ", refunded "
                    + order.refundedCents()
                    + ") but captured - refunded = "
                    + net));
      }
    }
  }

  private static void ledger(Observed observed, List<Violation> violations) {
    for (Observed.ShardMoney shard : observed.shards()) {
      if (shard.ledgerSumCents() != 0) {
        violations.add(
            new Violation(
                LEDGER, "shard " + shard.shard() + ": entries sum to " + shard.ledgerSumCents()));
      }
      if (shard.balancesOffTheirEntries() != 0) {
        violations.add(
            new Violation(
                LEDGER,
                "shard "
                    + shard.shard()
                    + ": "
                    + shard.balancesOffTheirEntries()
                    + " balances differ from the sum of their entries"));
      }
    }
  }

  private static void sagas(Observed observed, Duration bound, List<Violation> violations) {
    for (Observed.OpenSaga saga : observed.openSagas()) {
      if (saga.ageSeconds() > bound.toMillis() / 1000.0) {
        violations.add(
            new Violation(
                SAGAS,
                "saga of order "
                    + saga.orderId()
                    + " is still "
                    + saga.status()
                    + " after "
                    + Math.round(saga.ageSeconds())
                    + " s (bound "
                    + bound.toSeconds()
                    + " s)"));
      }
    }
  }

  private static void fencedWrites(Observed observed, List<Violation> violations) {
    Map<String, Long> newest = new HashMap<>();
    observed.fencedWrites().stream()
        .filter(Observed.FencedWrite::accepted)
        .sorted(java.util.Comparator.comparingLong(Observed.FencedWrite::sequence))
        .forEach(
            write -> {
              Long before = newest.get(write.resource());
              if (before != null && write.token() < before) {
                violations.add(
                    new Violation(
                        LOCKS,
                        write.resource()
                            + ": a write with token "
                            + write.token()
                            + " was accepted after one with "
                            + before));
              }
              newest.merge(write.resource(), write.token(), Math::max);
            });
  }

  /** A lease as its client saw it. */
  private record Held(String lock, String leaseId, long from, long until) {}

  private static void leases(History history, List<Violation> violations) {
    Map<String, Held> byLease = new HashMap<>();
    for (History.Operation op : history.operations()) {
      if (!op.is(Event.Outcome.OK) || op.complete().isEmpty()) {
        continue;
      }
      String leaseId = op.result("leaseId");
      if (leaseId == null) {
        continue;
      }
      long ttl = Long.parseLong(op.result("ttlMs"));
      long sent = op.invoke().at();
      long answered = op.complete().get().at();
      switch (op.kind()) {
        case "lock-acquire" ->
            byLease.put(
                leaseId, new Held(op.invoke().args().get("lock"), leaseId, answered, sent + ttl));
        case "lock-renew" ->
            byLease.computeIfPresent(
                leaseId,
                (id, held) ->
                    new Held(held.lock(), id, held.from(), Math.max(held.until(), sent + ttl)));
        default -> {}
      }
    }
    for (History.Operation op : history.operations()) {
      if (op.kind().equals("lock-release")) {
        String leaseId = op.invoke().args().get("leaseId");
        byLease.computeIfPresent(
            leaseId,
            (id, held) ->
                new Held(held.lock(), id, held.from(), Math.min(held.until(), op.invoke().at())));
      }
    }
    LeaseLinearizability.check(history, MODEL_BUDGET)
        .forEach(
            (lock, verdict) -> {
              if (verdict instanceof LeaseLinearizability.Verdict.Violated violated) {
                violations.add(new Violation(LOCKS, lock + ": " + violated.detail()));
              }
            });
    List<Held> all = new ArrayList<>(byLease.values());
    all.sort(java.util.Comparator.comparingLong(Held::from));
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size() && all.get(j).from() < all.get(i).until(); j++) {
        Held a = all.get(i);
        Held b = all.get(j);
        if (a.lock().equals(b.lock()) && !a.leaseId().equals(b.leaseId())) {
          violations.add(
              new Violation(
                  LOCKS,
                  a.lock()
                      + ": leases "
                      + a.leaseId()
                      + " and "
                      + b.leaseId()
                      + " were both held from "
                      + b.from()
                      + " ms to "
                      + Math.min(a.until(), b.until())
                      + " ms"));
        }
      }
    }
  }
}
