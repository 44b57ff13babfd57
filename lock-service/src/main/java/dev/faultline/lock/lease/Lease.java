package dev.faultline.lock.lease;

/**
 * A granted lease as clients see it. {@code fencingToken} is the creation zxid of the lease node:
 * every grant of a name creates a new node, and ZooKeeper orders every creation, so a later grant
 * always carries a larger token, across restarts and leader elections alike.
 */
public record Lease(String name, String holder, String leaseId, long fencingToken, long ttlMs) {}
