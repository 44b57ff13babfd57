package dev.faultline.gateway.balancing.policy;

/**
 * An instance a request may go to: how many requests this gateway has in flight to it, and how many
 * it may have at once (its concurrency limit). An instance at its limit is full: no policy sends it
 * more.
 */
public record Candidate(String id, int inFlight, int limit) {
  public Candidate {
    if (inFlight < 0) {
      throw new IllegalArgumentException("in-flight requests cannot be negative: " + inFlight);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("a concurrency limit is at least 1, got " + limit);
    }
  }

  /** An instance with no limit but its in-flight count: for choices that ignore capacity. */
  public static Candidate unlimited(String id, int inFlight) {
    return new Candidate(id, inFlight, Integer.MAX_VALUE);
  }

  /** It can take one more request. */
  public boolean open() {
    return inFlight < limit;
  }
}
