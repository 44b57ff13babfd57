package dev.faultline.drill.fault;

/**
 * The kinds of process a drill strikes: services, PostgreSQL primaries, ZooKeeper peers, and
 * gateways (only where a client can fail over to another).
 */
public enum FaultKind {
  SERVICES,
  PG,
  ZK,
  GATEWAY;
}
