package dev.faultline.drill.fault;

import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.drill.load.Gateway;
import dev.faultline.drill.suite.ComposeSuite;
import java.time.Duration;

/**
 * Faults on the container stack: {@code docker kill} (SIGKILL to the container's first process, as
 * a pod kill; compose's restart policy leaves a killed container down, so the drill decides when it
 * comes back) and {@code docker start} of the same container, which runs its entrypoint again: a
 * former primary rewinds and rejoins as a replica. Steady: every container of the stack healthy and
 * every shard {@code SYNC}. A shard's primary is resolved through the router's published topology
 * at the moment of the kill: its address's host is the container's service name.
 */
public final class ComposeFaults implements FaultActions {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final ComposeSuite suite;
  private final ComposeProject project;
  private final Gateway gateway;
  private final String adminToken;

  public ComposeFaults(ComposeSuite suite, Gateway gateway, String adminToken) {
    this.suite = suite;
    this.project = suite.project();
    this.gateway = gateway;
    this.adminToken = adminToken;
  }

  @Override
  public String resolve(Target target) throws Exception {
    if (target.kind() != FaultKind.PG) {
      return target.name();
    }
    // The topology names a node by its service on the stack's network.
    return suite.currentPrimary(target, gateway, adminToken).host();
  }

  @Override
  public void kill(String instance) throws Exception {
    project.kill(instance);
  }

  /** {@code docker pause}: the freezer cgroup stops every process of the container at once. */
  @Override
  public void pause(String instance) throws Exception {
    project.pause(instance);
  }

  @Override
  public void resume(Target target, String instance) throws Exception {
    project.unpause(instance);
    if (target.kind() == FaultKind.PG && replacedWhileFrozen(target, instance)) {
      // Replaced while frozen: fenced by the router; a restart runs the entrypoint's rejoin.
      project.kill(instance);
      project.start(instance, START_TIMEOUT);
    }
  }

  /** As {@link LocalSuiteFaults}: watched until steady with it primary, or replaced. */
  private boolean replacedWhileFrozen(Target target, String instance) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!suite.currentPrimary(target, gateway, adminToken).host().equals(instance)) {
        return true;
      }
      if (steady()) {
        return false;
      }
      Thread.sleep(500);
    }
    return !suite.currentPrimary(target, gateway, adminToken).host().equals(instance);
  }

  @Override
  public void restore(String instance) throws Exception {
    project.start(instance, START_TIMEOUT);
  }

  @Override
  public boolean steady() throws Exception {
    return suite.steady(gateway, adminToken);
  }
}
