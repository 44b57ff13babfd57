package dev.faultline.drill.fault;

import dev.faultline.cluster.process.Signals;
import dev.faultline.cluster.suite.SuiteCommand;
import dev.faultline.drill.load.Gateway;
import dev.faultline.drill.suite.LocalSuite;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Faults on the local suite: a SIGKILL to the process {@code bin/suite status} names, as a pod kill
 * is; {@code bin/suite start NAME} brings it back (a former primary is rewound and rejoins as a
 * replica) and returns once it is healthy. A shard's primary is resolved through the router's
 * published topology at the moment of the kill, so after a failover the drill kills the new one.
 */
public record LocalSuiteFaults(LocalSuite suite, Gateway gateway, String adminToken)
    implements FaultActions {
  @Override
  public String resolve(Target target) throws Exception {
    if (target.kind() != FaultKind.PG) {
      return target.name();
    }
    var primary = suite.currentPrimary(target, gateway, adminToken);
    return suite.status().stream()
        .filter(p -> p.port() == primary.port())
        .map(SuiteCommand.Member::name)
        .findFirst()
        .orElseThrow(() -> new IOException("no suite process listens on " + primary));
  }

  /**
   * SIGKILL, as {@code bin/suite kill} sends it, but from this process: the history's kill mark is
   * then the moment of the signal, not a JVM start earlier.
   */
  @Override
  public void kill(String instance) throws Exception {
    SuiteCommand.Member process =
        suite.status().stream()
            .filter(p -> p.name().equals(instance))
            .findFirst()
            .orElseThrow(() -> new IOException("no suite process " + instance));
    ProcessHandle handle =
        process.pid() == null ? null : ProcessHandle.of(process.pid()).orElse(null);
    if (handle == null) {
      throw new IOException(instance + " is not running: nothing to kill");
    }
    Signals.kill(handle);
    Signals.awaitExit(handle, Duration.ofSeconds(10));
  }

  /** SIGSTOP to the instance and all it forked: the JVM, or the postmaster and every backend. */
  @Override
  public void pause(String instance) throws Exception {
    Signals.sendToTree(running(instance), "STOP");
  }

  @Override
  public void resume(Target target, String instance) throws Exception {
    Signals.sendToTree(running(instance), "CONT");
    if (target.kind() == FaultKind.PG && replacedWhileFrozen(target, instance)) {
      // Replaced while frozen: the router fenced it off; a restart rewinds it into a replica.
      suite.suite(Duration.ofMinutes(5), "restart", instance);
    }
  }

  /**
   * Whether the router replaced the primary {@code instance}: its decision may land just after the
   * thaw or the heal (probes that timed out during the pause), so this watches until the suite is
   * steady with it still primary, or the topology names another.
   */
  private boolean replacedWhileFrozen(Target target, String instance) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!isPrimary(target, instance)) {
        return true;
      }
      if (steady()) {
        return false;
      }
      Thread.sleep(500);
    }
    return !isPrimary(target, instance);
  }

  private boolean isPrimary(Target target, String instance) throws Exception {
    var primary = suite.currentPrimary(target, gateway, adminToken);
    return suite.status().stream()
        .anyMatch(p -> p.name().equals(instance) && p.port() == primary.port());
  }

  private ProcessHandle running(String instance) throws IOException {
    SuiteCommand.Member process =
        suite.status().stream()
            .filter(p -> p.name().equals(instance))
            .findFirst()
            .orElseThrow(() -> new IOException("no suite process " + instance));
    return Optional.ofNullable(process.pid())
        .flatMap(pid -> ProcessHandle.of(pid))
        .orElseThrow(() -> new IOException(instance + " is not running"));
  }

  /** Cut off on loopback ({@link LoopbackPartition}): every process of its group, every port. */
  @Override
  public void partition(String instance) throws Exception {
    partitions().cut(instance, running(instance));
  }

  @Override
  public void heal(Target target, String instance) throws Exception {
    partitions().heal(instance);
    if (target.kind() == FaultKind.PG && replacedWhileFrozen(target, instance)) {
      // Replaced while cut off: the router fenced it; a restart rewinds it into a replica.
      suite.suite(Duration.ofMinutes(5), "restart", instance);
    }
  }

  /** Rules and cgroups a drill that died mid-partition left behind, for this suite's ports. */
  @Override
  public void sweep() throws Exception {
    if (LoopbackPartition.unavailable().isEmpty()) {
      partitions().sweep();
    }
  }

  private LoopbackPartition partitions() {
    return new LoopbackPartition(suite.ports().offset());
  }

  @Override
  public void restore(String instance) throws Exception {
    suite.suite(Duration.ofMinutes(5), "start", instance);
  }

  @Override
  public boolean steady() throws Exception {
    return suite.steady(gateway, adminToken);
  }
}
