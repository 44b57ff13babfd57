package dev.faultline.drill.fault;

/**
 * Something a fault kills: a named instance ({@code order-service-1}, {@code zk-2}) or a role that
 * is resolved when the fault strikes ({@code pg-shard-0-primary}: whichever node is shard 0's
 * primary then). {@code group} is what the report aggregates over (all order-service instances are
 * one group; both shards' primaries another).
 */
public record Target(String name, String group, FaultKind kind) {}
