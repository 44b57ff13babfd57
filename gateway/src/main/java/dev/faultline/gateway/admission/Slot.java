package dev.faultline.gateway.admission;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's permission to be in flight to one instance, given back exactly once: with a latency
 * sample when its attempt ended ({@link #release}), or without one ({@link #abandon}).
 */
public final class Slot {
  private final Admission.ServiceState service;
  private final Admission.InstanceLoad instance;
  private final long startedNanos;
  private final int inFlightAtStart;
  private final AtomicBoolean held = new AtomicBoolean(true);

  Slot(
      Admission.ServiceState service,
      Admission.InstanceLoad instance,
      long startedNanos,
      int inFlightAtStart) {
    this.service = service;
    this.instance = instance;
    this.startedNanos = startedNanos;
    this.inFlightAtStart = inFlightAtStart;
  }

  public String instanceId() {
    return instance.id();
  }

  /** The attempt ended: {@code dropped} when the instance timed out, refused or shed it. */
  public void release(boolean dropped) {
    if (held.compareAndSet(true, false)) {
      long rtt = service.nanoTime() - startedNanos;
      instance.limit().onSample(rtt, inFlightAtStart, dropped);
      service.giveBack(instance);
    }
  }

  /** The attempt never ran or was cancelled: its time says nothing about the instance. */
  public void abandon() {
    if (held.compareAndSet(true, false)) {
      service.giveBack(instance);
    }
  }
}
