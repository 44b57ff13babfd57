package dev.faultline.gateway.admission;

/** A limit set in configuration: right when the capacity is known and steady, wrong otherwise. */
public record FixedLimit(int current) implements ConcurrencyLimit {
  public FixedLimit {
    if (current < 1) {
      throw new IllegalArgumentException("a concurrency limit is at least 1, got " + current);
    }
  }

  @Override
  public void onSample(long rttNanos, int inFlight, boolean dropped) {}
}
