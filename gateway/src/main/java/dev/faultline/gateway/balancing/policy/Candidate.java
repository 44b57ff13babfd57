package dev.faultline.gateway.balancing.policy;

/** An instance a request may go to, and how many requests this gateway has in flight to it. */
public record Candidate(String id, int inFlight) {
  public Candidate {
    if (inFlight < 0) {
      throw new IllegalArgumentException("in-flight requests cannot be negative: " + inFlight);
    }
  }
}
