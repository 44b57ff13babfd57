package dev.faultline.lock.lease;

/**
 * What a lease node stores. {@code owner} is the caller's identity (token subject) and {@code
 * holder} the name the caller gave; {@code renewals} changes the node on every renewal so that
 * every instance watching it restarts its expiry clock. No timestamps: expiry is measured by each
 * observer on its own monotonic clock, never by comparing wall clocks.
 */
record LeaseRecord(String owner, String holder, String leaseId, long ttlMs, long renewals) {
  LeaseRecord renewed() {
    return new LeaseRecord(owner, holder, leaseId, ttlMs, renewals + 1);
  }
}
