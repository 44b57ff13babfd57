package dev.faultline.lock.lease;

/**
 * What a lease node stores. {@code owner} is the caller's identity (token subject) and {@code
 * holder} the name the caller gave; {@code renewals} changes the node on every renewal so that
 * every instance watching it restarts its expiry clock. No timestamps: expiry is measured by each
 * observer on its own monotonic clock, never by comparing wall clocks. {@code incarnation} is the
 * lock node's data version its grant set: the identity of this lease among all that ever had the
 * path (a node's own version starts at 0 again with every grant), which every later write of the
 * lease checks in the same multi-op. 0 for a lease granted before incarnations existed.
 */
record LeaseRecord(
    String owner, String holder, String leaseId, long ttlMs, long renewals, Integer incarnation) {
  /** A lease written before incarnations has none: 0. */
  LeaseRecord {
    incarnation = incarnation == null ? 0 : incarnation;
  }

  LeaseRecord renewed() {
    return new LeaseRecord(owner, holder, leaseId, ttlMs, renewals + 1, incarnation);
  }
}
