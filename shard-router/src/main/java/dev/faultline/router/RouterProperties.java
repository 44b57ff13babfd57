package dev.faultline.router;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router watches and repairs the shards ({@code faultline.router.*}).
 *
 * <ul>
 *   <li>{@code probe-interval}: how often every node is asked what it is.
 *   <li>{@code failover-after}: how long a primary must stay unreachable before its replica is
 *       promoted. Shorter fails over faster and risks promoting on a blip.
 *   <li>{@code replica-loss-after}: how long a synchronous replica must stay gone before the {@code
 *       replica-loss-policy} applies.
 *   <li>{@code replica-loss-policy}: {@code degrade} (keep taking writes on the primary alone, and
 *       forbid promotion until the replica is back in sync: Patroni's {@code synchronous_mode}) or
 *       {@code refuse-writes} (no acknowledged write may exist on one node only: Patroni's {@code
 *       synchronous_mode_strict}). The policy also decides what a shard does right after a
 *       failover, when its old primary has not rejoined yet.
 *   <li>{@code admin-username}/{@code admin-password}: the PostgreSQL role that may promote a
 *       replica and change {@code synchronous_standby_names}.
 *   <li>{@code lock-lease.enabled}: act only while holding the lock-service lease {@code
 *       shard-router-leader}, and fence PostgreSQL with its token. The router calls the lock
 *       service as itself, with the tokens it mints ({@code faultline.service.signing-key}).
 *   <li>{@code resharding.batch-slots}: how many slots move with one cutover. Fewer make shorter
 *       write pauses (less to catch up while frozen) and more cutovers.
 *   <li>{@code resharding.rows-per-second}: the copy's pace, so the foreground keeps its latency.
 *   <li>{@code resharding.catch-up-below}: the cutover starts once a catch-up pass finds fewer
 *       changes than this (what is left is applied while the slots are frozen).
 *   <li>{@code unsafe-promote-degraded}: drops a protection, for the concept tour (docs/concepts)
 *       to show what it prevents: a {@code DEGRADED} shard's replica, which may lack writes the
 *       primary acknowledged alone, is promoted when the primary dies. Off by default; logged at
 *       ERROR when on.
 * </ul>
 */
@ConfigurationProperties("faultline.router")
public record RouterProperties(
    @DefaultValue("500ms") Duration probeInterval,
    @DefaultValue("1500ms") Duration failoverAfter,
    @DefaultValue("3s") Duration replicaLossAfter,
    @DefaultValue("degrade") ReplicaLossPolicy replicaLossPolicy,
    @DefaultValue("postgres") String adminUsername,
    @Nullable String adminPassword,
    @DefaultValue LockLease lockLease,
    @DefaultValue Resharding resharding,
    @DefaultValue("false") boolean unsafePromoteDegraded) {

  public RouterProperties {
    if (unsafePromoteDegraded) {
      LoggerFactory.getLogger(RouterProperties.class)
          .error(
              "UNSAFE: faultline.router.unsafe-promote-degraded=true: a shard whose replica is"
                  + " behind (DEGRADED) gets it promoted when its primary dies, losing every write"
                  + " acknowledged by the primary alone");
    }
  }

  /** How slots move between shards (see the class comment). */
  public record Resharding(
      @DefaultValue("512") int batchSlots,
      @DefaultValue("20000") int rowsPerSecond,
      @DefaultValue("200") int catchUpBelow) {
    public Resharding {
      if (batchSlots < 1 || rowsPerSecond < 1 || catchUpBelow < 1) {
        throw new IllegalArgumentException("faultline.router.resharding values must be positive");
      }
    }
  }

  /** Whether the router acts only under its lease from the lock service. */
  public record LockLease(@DefaultValue("false") boolean enabled) {}

  /** See the class comment. */
  public enum ReplicaLossPolicy {
    DEGRADE,
    REFUSE_WRITES
  }
}
