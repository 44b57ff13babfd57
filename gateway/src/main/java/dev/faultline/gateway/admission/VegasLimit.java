package dev.faultline.gateway.admission;

import java.util.Arrays;

/**
 * A limit that follows the instance's measured latency, as TCP Vegas follows a path's (Brakmo and
 * Peterson, 1995; Netflix's concurrency-limits applies it to requests). The round trip with no
 * queue is the floor; a smoothed round trip above it means requests wait, about {@code limit · (1 −
 * floor / rtt)} of them. While that estimated queue is short the limit grows (fast while there is
 * hardly any), when it is long the limit shrinks, and a dropped request (a timeout, a refusal, a
 * 503) shrinks it at once. So the limit settles where the instance is busy but a few requests wait:
 * throughput near its peak, latency near its floor.
 *
 * <p>The floor is the median round trip of the latest requests that met no queue: those sent while
 * no more than the minimum limit were in flight. A median, not the smallest: on a busy machine one
 * lucky request is far faster than a typical one with no queue, and against such a floor every
 * ordinary request would look queued and the limit would never grow. Those requests come by
 * themselves whenever the instance has a lull, or when the limit has come down to its minimum; an
 * instance kept saturated for long meets none, and then the limit drops to its minimum for a moment
 * to measure (BBR's ProbeRTT), at most once every {@value #STALE_AFTER} samples. Until the first
 * such requests, the smallest round trip seen stands in.
 *
 * <p>While fewer than half the slots are used the limit is left alone: the instance was not the
 * bottleneck, so its latency says nothing about the limit (the "app-limited" rule).
 */
public final class VegasLimit implements ConcurrencyLimit {
  /** Requests met no queue within this many samples, or the floor is measured on purpose. */
  private static final int STALE_AFTER = 2_000;

  /** The latest requests that met no queue, whose median is the floor. */
  private static final int FLOOR_SAMPLES = 21;

  /** Requests that met no queue before their median replaces the smallest round trip seen. */
  private static final int FLOOR_SAMPLES_NEEDED = 5;

  /** Requests that met no queue a probe collects before it ends. */
  private static final int PROBE_SAMPLES = 11;

  /** The smoothed round trip follows the samples with this weight each. */
  private static final double SMOOTHING = 0.1;

  private final int min;
  private final int max;
  private double limit;
  private long floor;
  private boolean floorMeasured;
  private double smoothedRtt;
  private final long[] unqueued = new long[FLOOR_SAMPLES];
  private int unqueuedCount;
  private int unqueuedNext;
  private long sinceUnqueued;
  private boolean probing;
  private double limitBeforeProbe;
  private long probeLeft;
  private long probeSkip;

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

  /** Measuring the floor on purpose now, under the minimum limit. */
  synchronized boolean probing() {
    return probing;
  }

  @Override
  public synchronized void onSample(long rttNanos, int inFlight, boolean dropped) {
    if (rttNanos <= 0) {
      return;
    }
    // Steps that grow slowly with the limit, and at least one request (Netflix's log10 root).
    double step = Math.max(1, Math.log10(limit));
    if (dropped) {
      // A refusal or a shed comes back fast: its time is no floor, only a reason to back off.
      if (!probing) {
        limit = Math.clamp(limit - step, min, max);
      }
      return;
    }
    if (probing) {
      // The requests sent before the probe end first; those sent under the minimum limit meet
      // no queue (as good as alone, where the instance serves more than one at a time).
      if (probeSkip > 0) {
        probeSkip--;
      } else {
        unqueued(rttNanos);
      }
      if (unqueuedCount >= PROBE_SAMPLES || --probeLeft <= 0) {
        probing = false;
        limit = limitBeforeProbe;
        smoothedRtt = floor;
      }
      return;
    }
    if (inFlight <= 1) {
      unqueued(rttNanos); // alone at the instance: no queue
    } else if (++sinceUnqueued > STALE_AFTER) {
      startProbe();
      return;
    }
    smoothedRtt = smoothedRtt == 0 ? rttNanos : smoothedRtt + SMOOTHING * (rttNanos - smoothedRtt);
    if (!floorMeasured && (floor == 0 || rttNanos < floor)) {
      floor = rttNanos; // until requests that met no queue say better: the smallest seen
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

  /** A request that met no queue: its round trip joins those whose median is the floor. */
  private void unqueued(long rttNanos) {
    sinceUnqueued = 0;
    unqueued[unqueuedNext] = rttNanos;
    unqueuedNext = (unqueuedNext + 1) % FLOOR_SAMPLES;
    unqueuedCount = Math.min(unqueuedCount + 1, FLOOR_SAMPLES);
    if (unqueuedCount >= FLOOR_SAMPLES_NEEDED) {
      long[] sorted = Arrays.copyOf(unqueued, unqueuedCount);
      Arrays.sort(sorted);
      floor = sorted[unqueuedCount / 2];
      floorMeasured = true;
    }
  }

  /** Saturated too long to meet an unqueued request: make some, at the minimum limit. */
  private void startProbe() {
    probing = true;
    limitBeforeProbe = limit;
    limit = min;
    unqueuedCount = 0; // the floor is measured afresh; the old one stands meanwhile
    unqueuedNext = 0;
    sinceUnqueued = 0;
    probeSkip = (long) limitBeforeProbe;
    probeLeft = (long) limitBeforeProbe + 4L * PROBE_SAMPLES;
  }
}
