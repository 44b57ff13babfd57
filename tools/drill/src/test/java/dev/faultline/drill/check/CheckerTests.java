package dev.faultline.drill.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.Event.Outcome;
import dev.faultline.drill.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-made histories and end states, each with one planted violation the checker must catch. */
class CheckerTests {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private final List<Event> events = new ArrayList<>();
  private final Map<String, Observed.OrderState> orders = new HashMap<>();
  private final Map<String, String> locks = new HashMap<>();
  private final Map<String, String> apiStatus = new HashMap<>();
  private final Map<String, Observed.PaymentState> payments = new HashMap<>();
  private final Map<String, Long> deposited = new HashMap<>();
  private final List<Observed.ShardMoney> shards =
      new ArrayList<>(List.of(new Observed.ShardMoney(0, 0, 0), new Observed.ShardMoney(1, 0, 0)));
  private final List<Observed.OpenSaga> openSagas = new ArrayList<>();
  private final List<Observed.FencedWrite> writes = new ArrayList<>();
  private final List<Observed.Duplicate> duplicates = new ArrayList<>();
  private long nextOp = 1;

  @Test
  void aCleanRunPasses() {
    confirmedOrder("o-1", 1200);
    rejectedOrder("o-2", 9000);
    cancelledOrder("o-3", 500);
    lease("report", "lease-a", 0, 100, 1000);
    release("lease-a", 400);
    lease("report", "lease-b", 500, 600, 1000);
    writes.add(new Observed.FencedWrite("report", 1, 10, true));
    writes.add(new Observed.FencedWrite("report", 2, 9, false)); // stale: refused, as it must be
    writes.add(new Observed.FencedWrite("report", 3, 12, true));
    openSagas.add(new Observed.OpenSaga("o-4", "PENDING", 3));

    assertThat(check()).isEmpty();
  }

  @Test
  void aLostWriteIsCaught() {
    confirmedOrder("o-1", 1200);
    acknowledged("o-9", "CONFIRMED"); // acknowledged to the client, then gone

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.LOST);
              assertThat(v.detail()).contains("o-9");
            });
  }

  @Test
  void anAcknowledgedConfirmationThatTurnsIntoARejectionIsCaught() {
    acknowledged("o-1", "CONFIRMED");
    orders.put("o-1", new Observed.OrderState("o-1", "REJECTED", 1200));

    assertThat(checks()).contains(Checker.LOST);
  }

  @Test
  void aDoubleChargeIsCaught() {
    confirmedOrder("o-1", 1200);
    // Charged twice: the payment holds twice the total.
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 2400, 0));

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.MONEY);
              assertThat(v.detail()).contains("o-1").contains("2400");
            });
  }

  @Test
  void aCancelledOrderThatKeptItsMoneyIsCaught() {
    cancelledOrder("o-1", 800);
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 800, 0)); // refund lost

    assertThat(checks()).containsExactly(Checker.MONEY);
  }

  /**
   * The hole an operator's direct partial refund once opened: money went back, the order still says
   * CONFIRMED with nothing refunded.
   */
  @Test
  void moneyBackThatTheOrderDoesNotKnowOfIsCaught() {
    confirmedOrder("o-1", 1000);
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 1000, 100));

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.MONEY);
              assertThat(v.detail()).contains("o-1", "CONFIRMED", "refunded 0", "= 900");
            });
  }

  @Test
  void partlyAndWhollyRefundedOrdersPassWhenTheMoneyAgreesAndFailWhenItDoesNot() {
    acknowledged("o-1", "CONFIRMED");
    orders.put("o-1", new Observed.OrderState("o-1", "PARTIALLY_REFUNDED", 1000, 300));
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 1000, 300));
    acknowledged("o-2", "CONFIRMED");
    orders.put("o-2", new Observed.OrderState("o-2", "REFUNDED", 1000, 1000));
    payments.put("o-2", new Observed.PaymentState("o-2", "REFUNDED", 1000, 1000));
    assertThat(check()).isEmpty();

    // A part refunded twice at the payment service, and a status that lies about the amount.
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 1000, 600));
    orders.put("o-2", new Observed.OrderState("o-2", "PARTIALLY_REFUNDED", 1000, 1000));
    assertThat(check())
        .extracting(Violation::detail)
        .anySatisfy(d -> assertThat(d).contains("o-1", "= 400"))
        .anySatisfy(d -> assertThat(d).contains("o-2", "PARTIALLY_REFUNDED", "refunded 1000"));
  }

  @Test
  void anAcknowledgedPartialRefundTheOrderDoesNotShowIsCaught() {
    acknowledged("o-1", "CONFIRMED");
    orders.put("o-1", new Observed.OrderState("o-1", "PARTIALLY_REFUNDED", 1000, 100));
    payments.put("o-1", new Observed.PaymentState("o-1", "CAPTURED", 1000, 100));
    for (String cents : List.of("100", "50")) {
      long op = nextOp++;
      events.add(
          new Event.Invoke(op, "refund-order", op * 10, Map.of("id", "o-1", "amountCents", cents)));
      events.add(new Event.Complete(op, Outcome.OK, op * 10 + 5, Map.of("status", "x")));
    }

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.LOST);
              assertThat(v.detail()).contains("o-1", "150", "shows 100");
            });
  }

  /**
   * A stale grant the pairwise overlap check cannot see: the first lease was released before the
   * second grant, so nobody overlaps, but the second grant's fencing token is lower than the first
   * one's, which no correct lease lock can answer.
   */
  @Test
  void aGrantWithAStaleFencingTokenIsCaughtByTheLockModel() {
    lease("l", "a", 0, 10, 4_000, 500);
    release("a", 100);
    lease("l", "b", 200, 210, 4_000, 400);
    release("b", 300);

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.LOCKS);
              assertThat(v.detail()).contains("l:", "granted lease b token 400");
            });
  }

  /**
   * A retried acquire's abandoned first attempt may still land later (its server was paused) and
   * hold the lock for nobody: a busy answer then is no violation. Without a retry it is one.
   */
  @Test
  void aBusyAnswerIsExplainedByAnAbandonedAttemptOnlyWhenThereWasOne() {
    acquireAttempts("l", "a", 0, 100, 2);
    release("a", 200);
    busy("l", 1_000, 1_100);
    assertThat(check()).isEmpty();

    events.clear();
    acquireAttempts("l", "a", 0, 100, 1);
    release("a", 200);
    busy("l", 1_000, 1_100);
    assertThat(checks()).containsExactly(Checker.LOCKS);
  }

  private void acquireAttempts(String lock, String leaseId, long sent, long granted, int attempts) {
    long op = nextOp++;
    locks.put(leaseId, lock);
    events.add(new Event.Invoke(op, "lock-acquire", sent, Map.of("lock", lock)));
    events.add(
        new Event.Complete(
            op,
            Outcome.OK,
            granted,
            Map.of(
                "leaseId",
                leaseId,
                "ttlMs",
                "4000",
                "fencingToken",
                Long.toString(op + 1),
                "attempts",
                Integer.toString(attempts))));
  }

  private void busy(String lock, long sent, long answered) {
    long op = nextOp++;
    events.add(new Event.Invoke(op, "lock-acquire", sent, Map.of("lock", lock)));
    events.add(
        new Event.Complete(
            op, Outcome.FAIL, answered, Map.of("http", "409", "reason", "lock-held")));
  }

  @Test
  void anUnbalancedLedgerIsCaught() {
    confirmedOrder("o-1", 1200);
    shards.set(1, new Observed.ShardMoney(1, -1200, 1));

    assertThat(check())
        .extracting(Violation::check)
        .containsExactly(Checker.LEDGER, Checker.LEDGER);
  }

  @Test
  void aStuckSagaIsCaught() {
    openSagas.add(new Observed.OpenSaga("o-7", "REFUNDING", 95));

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.SAGAS);
              assertThat(v.detail()).contains("o-7").contains("REFUNDING");
            });
  }

  @Test
  void overlappingLeasesAreCaught() {
    lease("report", "lease-a", 0, 50, 1000); // held until 1000 (no release)
    lease("report", "lease-b", 600, 650, 1000); // granted while a still believes it holds

    // Both the pairwise check and the lock model see it.
    assertThat(check())
        .hasSize(2)
        .allSatisfy(v -> assertThat(v.check()).isEqualTo(Checker.LOCKS))
        .anySatisfy(v -> assertThat(v.detail()).contains("lease-a").contains("lease-b"))
        .anySatisfy(v -> assertThat(v.detail()).contains("report:", "lease lease-b"));
  }

  @Test
  void aRenewalExtendsALeaseIntoAnOverlap() {
    lease("report", "lease-a", 0, 50, 1000);
    renew("lease-a", 800, 820, 1000); // held until 1800 now
    lease("report", "lease-b", 1500, 1510, 1000);

    assertThat(checks()).containsExactly(Checker.LOCKS, Checker.LOCKS);
  }

  @Test
  void leasesOnDifferentLocksOrOneAfterTheOtherDoNotOverlap() {
    lease("a", "lease-a", 0, 50, 1000);
    lease("b", "lease-b", 100, 150, 1000);
    lease("c", "lease-c", 0, 50, 1000);
    release("lease-c", 300);
    lease("c", "lease-d", 310, 320, 1000);

    assertThat(check()).isEmpty();
  }

  @Test
  void aStaleFencedWriteAcceptedIsCaught() {
    writes.add(new Observed.FencedWrite("account-1", 1, 12, true));
    writes.add(new Observed.FencedWrite("account-1", 2, 11, true));

    assertThat(check())
        .singleElement()
        .satisfies(v -> assertThat(v.detail()).contains("token 11").contains("12"));
  }

  @Test
  void anOrderTheApiCannotFindIsCaught() {
    confirmedOrder("o-1", 1200);
    apiStatus.put("o-1", Observed.MISSING);

    assertThat(check()).singleElement().satisfies(v -> assertThat(v.detail()).contains("404"));
  }

  @Test
  void aReadThatGoesBackInTimeIsCaughtAndOneThatStartedEarlierIsNot() {
    confirmedOrder("o-1", 1200); // placed: CONFIRMED told to the client at 15 ms
    read("o-1", 10, 40, "404", null); // began before that answer came: may not see it
    read("o-1", 50, 60, "200", "CONFIRMED");
    assertThat(check()).isEmpty();

    read("o-1", 70, 80, "404", null); // after the client was told it exists
    read("o-1", 90, 95, "200", "PENDING"); // after it was told CONFIRMED
    assertThat(check())
        .hasSize(2)
        .allSatisfy(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.LOST);
              assertThat(v.detail()).contains("o-1").contains("a stale read");
            });
  }

  private void read(String id, long sent, long answered, String http, String status) {
    long op = nextOp++;
    events.add(new Event.Invoke(op, "read-order", sent, Map.of("id", id)));
    Map<String, String> result = new HashMap<>(Map.of("http", http));
    if (status != null) {
      result.put("status", status);
    }
    events.add(
        new Event.Complete(
            op, http.equals("200") ? Outcome.OK : Outcome.FAIL, answered, Map.copyOf(result)));
  }

  @Test
  void anAcknowledgedCancelThatDidNotHappenIsCaught() {
    confirmedOrder("o-1", 1200);
    long op = nextOp++;
    events.add(new Event.Invoke(op, "cancel-order", 100, Map.of("id", "o-1")));
    events.add(new Event.Complete(op, Outcome.OK, 120, Map.of("status", "REFUNDING")));

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.LOST);
              assertThat(v.detail()).contains("cancel").contains("CONFIRMED");
            });
  }

  @Test
  void depositsAreNeitherLostNorAppliedTwice() {
    deposit("acc-1", 500, Outcome.OK);
    deposit("acc-1", 300, Outcome.UNKNOWN); // may or may not have happened
    deposit("acc-1", 200, Outcome.FAIL); // did not happen
    deposit("acc-2", 700, Outcome.OK);
    deposit("acc-3", 100, Outcome.OK);
    deposited.put("acc-1", 800L); // the unknown one happened: fine
    deposited.put("acc-2", 0L); // lost
    deposited.put("acc-3", 200L); // applied twice

    assertThat(check())
        .extracting(v -> v.check() + " " + v.detail().substring(0, 13))
        .containsExactlyInAnyOrder("lost account acc-2", "money account acc-3");
  }

  @Test
  void aKeyOnTwoShardsIsCaught() {
    confirmedOrder("o-1", 1200);
    // A copy a slot's move left behind on its old shard (planted: the order is whole otherwise).
    duplicates.add(new Observed.Duplicate("order o-1", List.of(0, 2)));

    assertThat(check())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.check()).isEqualTo(Checker.PLACEMENT);
              assertThat(v.detail()).contains("order o-1").contains("[0, 2]");
            });
  }

  // --- building histories ---------------------------------------------------------------------

  private List<Violation> check() {
    return Checker.check(
        new History(events),
        new Observed(orders, apiStatus, payments, deposited, shards, openSagas, writes, duplicates),
        BOUND);
  }

  private List<String> checks() {
    return check().stream().map(Violation::check).toList();
  }

  private void acknowledged(String id, String status) {
    long op = nextOp++;
    events.add(new Event.Invoke(op, "place-order", op * 10, Map.of()));
    events.add(new Event.Complete(op, Outcome.OK, op * 10 + 5, Map.of("id", id, "status", status)));
  }

  private void confirmedOrder(String id, long cents) {
    acknowledged(id, "CONFIRMED");
    orders.put(id, new Observed.OrderState(id, "CONFIRMED", cents));
    payments.put(id, new Observed.PaymentState(id, "CAPTURED", cents, 0));
  }

  private void rejectedOrder(String id, long cents) {
    acknowledged(id, "REJECTED");
    orders.put(id, new Observed.OrderState(id, "REJECTED", cents));
    payments.put(id, new Observed.PaymentState(id, "DECLINED", cents, 0));
  }

  private void cancelledOrder(String id, long cents) {
    acknowledged(id, "CONFIRMED");
    orders.put(id, new Observed.OrderState(id, "CANCELLED", cents));
    payments.put(id, new Observed.PaymentState(id, "REFUNDED", cents, cents));
  }

  private void deposit(String account, long cents, Outcome outcome) {
    long op = nextOp++;
    events.add(
        new Event.Invoke(
            op, "deposit", op * 10, Map.of("account", account, "amountCents", "" + cents)));
    events.add(new Event.Complete(op, outcome, op * 10 + 5, Map.of()));
  }

  private void lease(String lock, String leaseId, long sent, long granted, long ttl) {
    lease(lock, leaseId, sent, granted, ttl, nextOp + 1);
  }

  private void lease(String lock, String leaseId, long sent, long granted, long ttl, long token) {
    long op = nextOp++;
    locks.put(leaseId, lock);
    events.add(new Event.Invoke(op, "lock-acquire", sent, Map.of("lock", lock)));
    events.add(
        new Event.Complete(
            op,
            Outcome.OK,
            granted,
            Map.of(
                "leaseId",
                leaseId,
                "ttlMs",
                Long.toString(ttl),
                "fencingToken",
                Long.toString(token))));
  }

  private void renew(String leaseId, long sent, long answered, long ttl) {
    long op = nextOp++;
    events.add(
        new Event.Invoke(
            op, "lock-renew", sent, Map.of("leaseId", leaseId, "lock", locks.get(leaseId))));
    events.add(
        new Event.Complete(
            op, Outcome.OK, answered, Map.of("leaseId", leaseId, "ttlMs", Long.toString(ttl))));
  }

  private void release(String leaseId, long at) {
    long op = nextOp++;
    events.add(
        new Event.Invoke(
            op, "lock-release", at, Map.of("leaseId", leaseId, "lock", locks.get(leaseId))));
    events.add(new Event.Complete(op, Outcome.OK, at + 5, Map.of()));
  }
}
