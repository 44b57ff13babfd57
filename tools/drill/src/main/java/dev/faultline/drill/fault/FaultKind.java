package dev.faultline.drill.fault;

/** The kinds of process a drill kills: services, PostgreSQL primaries, ZooKeeper peers. */
public enum FaultKind {
  SERVICES,
  PG,
  ZK;
}
