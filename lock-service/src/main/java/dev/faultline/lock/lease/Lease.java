package dev.faultline.lock.lease;

/** A granted lease as clients see it. */
public record Lease(String name, String holder, String leaseId, long fencingToken, long ttlMs) {}
