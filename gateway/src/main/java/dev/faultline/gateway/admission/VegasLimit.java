package dev.faultline.gateway.admission;

import java.util.Arrays;

/**
 * A limit that follows the instance's measured latency, as TCP Vegas follows a path's (Brakmo and
 * Peterson, 1995; Netflix's concurrency-limits applies it to requests). The round trip with no
 * queue is the floor; a smoothed round trip above it means requests wait, about {@code limit · (1 −
 * floor / rtt)} of them. While that estimated queue is short the limit grows (fast while there is
 * hardly any), when it is long the limit shrinks, and a dropped request (a timeout, a refusal, a
 * 503) shrinks it at once. So the limit settles where the instance is busy but requests barely
 * wait: throughput near its peak, latency near its floor.
 *
 * <p>The floor is measured the way BBR measures its path's (ProbeRTT): now and then the limit drops
 * to its minimum for a moment, so that requests meet no queue, and the median round trip of that
 * moment becomes the floor. A median, not the minimum: on a busy machine one lucky request is far
 * faster than a typical one with no queue, and against such a floor every ordinary request would
 * look queued and the limit would never grow. Merely forgetting the old floor would not do either:
 * under steady load every request queues, the "floor" seen would include the queue, and the limit
 * would creep up with every probe. The first probe comes early (the first samples may all have
 * queued behind a high initial limit), the next ones every {@value #PROBE_EVERY_PER_SLOT} samples
 * per unit of limit, so a probe costs a few percent of the instance's time at most.
 *
 * <p>While fewer than half the slots are used the limit is left alone: the instance was not the
 * bottleneck, so its latency says nothing about the limit (the "app-limited" rule).
 */
public final class VegasLimit implements ConcurrencyLimit {
  /** Samples between two probes of the floor, per unit of limit (and at least 2,000). */
  private static final int PROBE_EVERY_PER_SLOT = 100;

  /** Samples before the first probe. */
  private static final int FIRST_PROBE_AFTER = 1_000;

  /** Samples under the minimum limit whose median is the floor. */
  private static final int PROBE_SAMPLES = 21;

  /** The smoothed round trip follows the samples with this weight each. */
  private static final double SMOOTHING = 0.1;

  private final int min;
  private final int max;
  private double limit;
  private long floor;
  private double smoothedRtt;
  private long samples;
  private long probeAfter = FIRST_PROBE_AFTER;
  private boolean probing;
  private double limitBeforeProbe;
  private long probeSkip;
  private final long[] probed = new long[PROBE_SAMPLES];
  private int probedCount;

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

  /** The round trip with no queue, in nanoseconds (0: none yet). */
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
    // Steps that grow slowly with the limit, and at least one request (Netflix's log10 root).
    double step = Math.max(1, Math.log10(limit));
    if (dropped) {
      // A refusal or a shed comes back fast: its time is no floor, only a reason to back off.
      limit = Math.clamp(limit - step, min, max);
      return;
    }
    smoothedRtt = smoothedRtt == 0 ? rttNanos : smoothedRtt + SMOOTHING * (rttNanos - smoothedRtt);
    if (++samples >= probeAfter && floor > 0) {
      startProbe();
      return;
    }
    if (floor == 0 || (samples < FIRST_PROBE_AFTER && rttNanos < floor)) {
      floor = rttNanos; // until the first probe: the smallest seen
      return;
    }
    if (inFlight * 2 < limit) {
      return; // app-limited: the instance was not the bottleneck
    }
    double queue = limit * (1 - floor / smoothedRtt);
    double next;
    if (queue <= step) {
      next = limit + 6 * step; // hardly any queue: grow fast
    } else if (queue < 3 * step) {
      next = limit + step;
    } else if (queue > 6 * step) {
      next = limit - step;
    } else {
      return; // between alpha and beta: where it should be
    }
    limit = Math.clamp(next, min, max);
  }

  private void startProbe() {
    probing = true;
    samples = 0;
    limitBeforeProbe = limit;
    limit = min;
    probedCount = 0;
    // The requests sent before the probe end first: their times are not the floor's.
    probeSkip = (long) limitBeforeProbe;
  }

  private void probe(long rttNanos, boolean dropped) {
    if (probeSkip > 0) {
      probeSkip--;
      return;
    }
    if (!dropped) {
      probed[probedCount++] = rttNanos;
    }
    if (probedCount == PROBE_SAMPLES || probeSkip < -4L * PROBE_SAMPLES) {
      if (probedCount > 0) {
        long[] sorted = Arrays.copyOf(probed, probedCount);
        Arrays.sort(sorted);
        floor = sorted[probedCount / 2];
        smoothedRtt = floor;
      }
      limit = limitBeforeProbe;
      probing = false;
      probeAfter = (long) Math.max(2_000, PROBE_EVERY_PER_SLOT * limit);
    } else if (dropped) {
      probeSkip--; // counts the drops, so a probe that meets only drops still ends
    }
  }
}
