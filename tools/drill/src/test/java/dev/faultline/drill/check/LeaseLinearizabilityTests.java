package dev.faultline.drill.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.drill.check.LeaseLinearizability.Answer;
import dev.faultline.drill.check.LeaseLinearizability.Op;
import dev.faultline.drill.check.LeaseLinearizability.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lease-lock model on small histories: what a correct lock may answer, and what it may not. */
class LeaseLinearizabilityTests {
  private static final long NEVER = Long.MAX_VALUE;
  private final List<Op> ops = new ArrayList<>();

  private void op(Answer answer, long sent, long answered, String lease, long token, long ttl) {
    ops.add(new Op(ops.size(), answer, sent, answered, lease, token, ttl, null));
  }

  private Verdict verdict() {
    return LeaseLinearizability.check(ops, 100_000);
  }

  @Test
  void grantsRenewalsAndReleasesInTurnFit() {
    op(Answer.GRANTED, 0, 10, "a", 1, 1_000);
    op(Answer.RENEWED, 500, 510, "a", 0, 1_000);
    op(Answer.RELEASED, 900, 905, "a", 0, 0);
    op(Answer.GRANTED, 950, 960, "b", 2, 1_000);
    op(Answer.RELEASED, 1_000, 1_005, "b", 0, 0);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void overlappingCallsFitWhenSomeOrderWithinTheirIntervalsWorks() {
    // b's acquire was sent before a's release was answered, and granted after it.
    op(Answer.GRANTED, 0, 10, "a", 1, 5_000);
    op(Answer.GRANTED, 100, 400, "b", 2, 5_000);
    op(Answer.RELEASED, 200, 300, "a", 0, 0);
    // c was told busy while b held it.
    op(Answer.BUSY, 450, 460, null, 0, 5_000);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void aSecondGrantWhileTheFirstLeaseIsLiveIsAViolation() {
    op(Answer.GRANTED, 0, 10, "a", 1, 4_000);
    op(Answer.GRANTED, 100, 110, "b", 2, 4_000);
    assertThat(verdict())
        .isInstanceOfSatisfying(
            Verdict.Violated.class, v -> assertThat(v.detail()).contains("lease b"));
  }

  @Test
  void aLeaseMayBeTakenOverOnceItsTtlHasRunSinceItsLastRenewalWasSent() {
    op(Answer.GRANTED, 0, 10, "a", 1, 1_000);
    op(Answer.RENEWED, 800, 810, "a", 0, 1_000);
    op(Answer.GRANTED, 1_500, 1_510, "b", 2, 1_000); // too early: a runs to 1800
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
    ops.removeLast();
    op(Answer.GRANTED, 1_700, 1_810, "b", 2, 1_000); // answered after 1800: fits
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void tokensMustGrowAcrossGrants() {
    op(Answer.GRANTED, 0, 10, "a", 7, 1_000);
    op(Answer.RELEASED, 20, 30, "a", 0, 0);
    op(Answer.GRANTED, 40, 50, "b", 7, 1_000);
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
  }

  @Test
  void busyWhileNothingCouldHoldTheLockIsAViolationUnlessAnUnansweredAcquireMayHave() {
    op(Answer.BUSY, 100, 110, null, 0, 1_000);
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
    op(Answer.MAYBE_GRANTED, 50, NEVER, null, 0, 1_000);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void aRenewalOfALeaseSomeoneElseNowHoldsIsAViolation() {
    op(Answer.GRANTED, 0, 10, "a", 1, 100);
    op(Answer.GRANTED, 500, 510, "b", 2, 5_000);
    op(Answer.RENEWED, 600, 610, "a", 0, 100);
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
  }

  @Test
  void goneIsOnlyTrueOfALeaseThatCouldHaveExpired() {
    op(Answer.GRANTED, 0, 10, "a", 1, 1_000);
    op(Answer.GONE, 300, 310, "a", 0, 1_000);
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
    ops.removeLast();
    op(Answer.GONE, 1_200, 1_210, "a", 0, 1_000);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void theHolderAskingAgainGetsItsOwnLeaseBackButNeverAnotherToken() {
    op(Answer.GRANTED, 0, 10, "a", 5, 4_000);
    op(Answer.MAYBE_RELEASED, 100, NEVER, "a", 0, 0);
    op(Answer.GRANTED, 200, 210, "a", 5, 4_000); // the release never landed: the same lease
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
    ops.removeLast();
    op(Answer.GRANTED, 200, 210, "a", 6, 4_000);
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
  }

  @Test
  void anAbandonedAcquireMayGoThroughLateAndComeBackToItsHolder() {
    // Alice's first attempt is stuck in a cut-off instance; her retry is granted elsewhere, and she
    // releases. The stuck attempt goes through when the partition heals, after she gave up: Bob is
    // told busy, and Alice, asking again, is handed that grant (its token, its lease).
    ops.add(new Op(ops.size(), Answer.MAYBE_GRANTED, 0, NEVER, null, 0, 5_000, "alice"));
    ops.add(new Op(ops.size(), Answer.GRANTED, 0, 3_000, "a", 1, 5_000, "alice"));
    op(Answer.RELEASED, 3_100, 3_110, "a", 0, 0);
    ops.add(new Op(ops.size(), Answer.BUSY, 3_200, 4_200, null, 0, 5_000, "bob"));
    ops.add(new Op(ops.size(), Answer.GRANTED, 4_300, 4_310, "ghost", 2, 5_000, "alice"));
    op(Answer.RELEASED, 4_400, 4_410, "ghost", 0, 0);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
    // Not to another holder: the grant that kept Bob out is still live when Carol is granted.
    ops.set(4, new Op(4, Answer.GRANTED, 4_300, 4_310, "ghost", 2, 5_000, "carol"));
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
    // Nor with a token older than a grant made before it.
    ops.set(4, new Op(4, Answer.GRANTED, 4_300, 4_310, "ghost", 1, 5_000, "alice"));
    assertThat(verdict()).isInstanceOf(Verdict.Violated.class);
  }

  @Test
  void aRetriedReleaseMayFindItsOwnFirstAttemptDone() {
    op(Answer.GRANTED, 0, 10, "a", 1, 4_000);
    op(Answer.RELEASED_OR_GONE, 100, 900, "a", 0, 0);
    op(Answer.GRANTED, 950, 960, "b", 2, 4_000);
    assertThat(verdict()).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void aHistoryTooTangledForTheBudgetIsInconclusiveNotAVerdict() {
    // Many overlapping busy answers and maybe-grants: the search has many orders to try.
    for (int i = 0; i < 40; i++) {
      op(Answer.MAYBE_GRANTED, i, NEVER, null, 0, 10);
      op(Answer.BUSY, i, 10_000, null, 0, 10);
    }
    op(Answer.GRANTED, 0, 10_000, "z", 1, 10); // token 1 after unknown grants: fine
    op(Answer.RENEWED, 5_000, 5_001, "y", 0, 10); // never granted: no order works
    assertThat(LeaseLinearizability.check(ops, 2_000)).isInstanceOf(Verdict.Inconclusive.class);
  }
}
