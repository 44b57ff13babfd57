package dev.faultline.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VegasLimitTests {
  private static final long MS = 1_000_000;

  @Test
  void theLimitGrowsWhileFullyUsedSlotsAnswerAtTheLatencyFloor() {
    VegasLimit limit = new VegasLimit(8, 2, 100);
    limit.onSample(5 * MS, 8, false); // the first sample sets the floor
    for (int i = 0; i < 20; i++) {
      limit.onSample(5 * MS, limit.current(), false);
    }
    assertThat(limit.current()).isGreaterThan(30);
  }

  @Test
  void theLimitShrinksWhenRequestsQueueAndSettlesWhereAFewWait() {
    // A model instance: 4 requests at once at 10 ms each; more only wait (latency grows with
    // them). Vegas keeps 3 to 6 waiting: a limit of 7 to 10, whatever it starts from.
    for (int start : new int[] {2, 16, 64}) {
      VegasLimit limit = new VegasLimit(start, 1, 200);
      for (int i = 0; i < 5_000 || limit.probing(); i++) {
        int inFlight = limit.current();
        limit.onSample(10 * MS * Math.max(4, inFlight) / 4, inFlight, false);
      }
      assertThat(limit.current()).as("from %d", start).isBetween(7, 10);
    }
  }

  @Test
  void theFloorIsMeasuredAgainUnderALowLimitSoALastingSlowdownIsLearntAndQueuesAreNot() {
    // The instance gets twice as slow for good: its floor must follow, or the limit would starve
    // it. Probes measure the floor under the minimum limit, where requests meet no queue.
    VegasLimit limit = new VegasLimit(8, 1, 200);
    for (int i = 0; i < 3_000 || limit.probing(); i++) {
      int inFlight = limit.current();
      limit.onSample(10 * MS * Math.max(4, inFlight) / 4, inFlight, false);
    }
    assertThat(limit.floor()).isEqualTo(10 * MS);
    for (int i = 0; i < 6_000 || limit.probing(); i++) {
      int inFlight = limit.current();
      limit.onSample(20 * MS * Math.max(4, inFlight) / 4, inFlight, false);
    }
    assertThat(limit.floor()).isEqualTo(20 * MS);
    assertThat(limit.current()).isBetween(7, 10);
  }

  @Test
  void noisyRoundTripsDoNotPinTheLimitToItsMinimum() {
    // Round trips ±70% around what the queue makes them (a busy machine): the luckiest one is
    // a third of a typical one. A floor taken from the minimum would see every request queued.
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    VegasLimit limit = new VegasLimit(2, 2, 200);
    for (int i = 0; i < 10_000 || limit.probing(); i++) {
      int inFlight = limit.current();
      double noise = 0.3 + 1.4 * random.nextDouble();
      limit.onSample((long) (noise * 10 * MS * Math.max(4, inFlight) / 4), inFlight, false);
    }
    assertThat(limit.current()).isBetween(7, 12);
  }

  @Test
  void aDroppedRequestShrinksTheLimitAtOnce() {
    VegasLimit limit = new VegasLimit(50, 2, 100);
    limit.onSample(5 * MS, 50, false);
    int before = limit.current();
    limit.onSample(6 * MS, 50, true);
    assertThat(limit.current()).isLessThan(before);
  }

  @Test
  void aFastRefusalIsNeverTakenForTheLatencyFloor() {
    VegasLimit limit = new VegasLimit(20, 2, 100);
    limit.onSample(10 * MS, 20, false);
    limit.onSample(MS / 10, 20, true); // a refused connection comes back in 0.1 ms
    assertThat(limit.floor()).isEqualTo(10 * MS);
    int afterDrop = limit.current();
    for (int i = 0; i < 20; i++) {
      limit.onSample(10 * MS, limit.current(), false); // at the floor: it grows again
    }
    assertThat(limit.current()).isGreaterThan(afterDrop);
  }

  @Test
  void anInstanceUsingFewerThanHalfItsSlotsLeavesTheLimitAlone() {
    VegasLimit limit = new VegasLimit(40, 2, 100);
    limit.onSample(5 * MS, 1, false);
    for (int i = 0; i < 90; i++) { // fewer than the samples before the first probe
      limit.onSample(50 * MS, 3, false); // slow, but not because of us: app-limited
    }
    assertThat(limit.current()).isEqualTo(40);
  }

  @Test
  void theLimitStaysWithinItsBoundsAndTheBoundsMustMakeSense() {
    VegasLimit limit = new VegasLimit(3, 3, 5);
    limit.onSample(MS, 3, false);
    for (int i = 0; i < 40; i++) {
      limit.onSample(MS, limit.current(), false);
    }
    assertThat(limit.current()).isEqualTo(5);
    for (int i = 0; i < 40; i++) {
      limit.onSample(100 * MS, limit.current(), true);
    }
    assertThat(limit.current()).isEqualTo(3);
    assertThatThrownBy(() -> new VegasLimit(1, 2, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FixedLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
