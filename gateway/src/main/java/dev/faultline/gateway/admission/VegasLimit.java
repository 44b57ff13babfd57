package dev.faultline.gateway.admission;

/**
 * A limit that follows the instance's measured latency, as TCP Vegas follows a path's (Brakmo and
 * Peterson, 1995; Netflix's concurrency-limits applies it to requests). The smallest round trip
 * seen is the instance with no queue (the floor); a round trip above it means requests wait, about
 * {@code limit · (1 − floor / rtt)} of them. While that estimated queue is short the limit grows,
 * when it is long the limit shrinks, and a dropped request (a timeout, a refusal, a 503) shrinks it
 * at once. So the limit settles where the instance is busy but requests barely wait: throughput
 * near its peak, latency near its floor.
 *
 * <p>The floor is measured again from time to time the way BBR measures its path's (ProbeRTT): for
 * a moment the limit drops to its minimum, so that requests meet no queue, and the smallest round
 * trip of that moment becomes the floor. Merely forgetting the old floor would not do: under steady
 * load every request queues, the "floor" seen would include the queue, and the limit would creep up
 * with every probe. While fewer than half the slots are used the limit is left alone: the instance
 * was not the bottleneck, so its latency says nothing about the limit (the "app-limited" rule).
 */
public final class VegasLimit implements ConcurrencyLimit {
  /** Samples between two probes of the floor, per unit of limit (and at least 500). */
  private static final int PROBE_EVERY_PER_SLOT = 50;

  /** Samples before the first probe. */
  private static final int FIRST_PROBE_AFTER = 100;

  private final int min;
  private final int max;
  private double limit;
  private long floor;
  private long samples;
  private long probeAfter = FIRST_PROBE_AFTER;
  private boolean probing;
  private double limitBeforeProbe;
  private long probeFloor;
  private long probeSamplesLeft;

  public VegasLimit(int initial, int min, int max) {
    if (min < 1 || max < min || initial < min || initial > max) {
      throw new IllegalArgumentException(
          "need 1 ≤ min ≤ initial ≤ max, got min " + min + ", initial " + initial + ", max " + max);
    }
    this.min = min;
    this.max = max;
    this.limit = initial;
  }

  @Override
  public synchronized int current() {
    return (int) limit;
  }

  /** The smallest round trip with no queue, in nanoseconds (0: none yet). */
  synchronized long floor() {
    return floor;
  }

  /** Measuring the floor now, under the minimum limit. */
  synchronized boolean probing() {
    return probing;
  }

  @Override
  public synchronized void onSample(long rttNanos, int inFlight, boolean dropped) {
    if (rttNanos <= 0) {
      return;
    }
    if (probing) {
      probe(rttNanos, dropped);
      return;
    }
    if (++samples >= probeAfter && floor > 0) {
      startProbe();
      return;
    }
    double log = Math.log10(Math.max(limit, 2)); // steps that grow slowly with the limit
    if (dropped) {
      // A refusal or a shed comes back fast: its time is no floor, only a reason to back off.
      limit = Math.clamp(limit - log, min, max);
      return;
    }
    if (floor == 0 || rttNanos < floor) {
      floor = rttNanos;
      return;
    }
    double next;
    if (inFlight * 2 < limit) {
      return; // app-limited: the instance was not the bottleneck
    } else {
      double queue = Math.ceil(limit * (1 - (double) floor / rttNanos));
      if (queue <= log) {
        next = limit + 6 * log; // hardly any queue: grow fast
      } else if (queue < 3 * log) {
        next = limit + log;
      } else if (queue > 6 * log) {
        next = limit - log;
      } else {
        return; // between alpha and beta: where it should be
      }
    }
    limit = Math.clamp(next, min, max);
  }

  private void startProbe() {
    probing = true;
    samples = 0;
    limitBeforeProbe = limit;
    limit = min;
    probeFloor = Long.MAX_VALUE;
    // The requests sent before the probe end first; then enough sent under the low limit.
    probeSamplesLeft = (long) limitBeforeProbe + 20;
  }

  private void probe(long rttNanos, boolean dropped) {
    if (!dropped) {
      probeFloor = Math.min(probeFloor, rttNanos);
    }
    if (--probeSamplesLeft <= 0) {
      if (probeFloor != Long.MAX_VALUE) {
        floor = probeFloor;
      }
      limit = limitBeforeProbe;
      probing = false;
      probeAfter = (long) Math.max(500, PROBE_EVERY_PER_SLOT * limit);
    }
  }
}
