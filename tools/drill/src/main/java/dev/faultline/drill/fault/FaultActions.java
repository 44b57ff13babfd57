package dev.faultline.drill.fault;

/**
 * How a drill injects its faults and learns they are over, kept to these calls so the same drill
 * drives the local suite ({@link LocalSuiteFaults}: SIGKILL and restart through {@code bin/suite}),
 * the container stack ({@link ComposeFaults}: {@code docker kill} and {@code docker start}) or a
 * Kubernetes cluster ({@code kubectl delete pod}, then wait for the replacement).
 */
public interface FaultActions {
  /** Which instance a fault on {@code target} kills now (a role resolves to its holder). */
  String resolve(Target target) throws Exception;

  /** Kills {@code instance} at once (no graceful stop), returning when it is gone. */
  void kill(String instance) throws Exception;

  /** Brings {@code instance} back, or waits until its replacement serves; returns when it does. */
  void restore(String instance) throws Exception;

  /** Freezes {@code instance} (every process of it) without ending it, as a stopped VM is. */
  default void pause(String instance) throws Exception {
    throw new UnsupportedOperationException("this target cannot pause " + instance);
  }

  /**
   * Lets a paused {@code instance} run on. A resumed primary that was replaced meanwhile is fenced
   * by the router; it is then restarted to rejoin as a replica, as an instance manager would.
   */
  default void resume(Target target, String instance) throws Exception {
    throw new UnsupportedOperationException("this target cannot resume " + instance);
  }

  /**
   * Cuts {@code instance} off from every other process (packets dropped both ways), without
   * stopping it: it runs on, alone, as behind a broken switch.
   */
  default void partition(String instance) throws Exception {
    throw new UnsupportedOperationException("this target cannot partition " + instance);
  }

  /**
   * Heals a partitioned {@code instance}. A primary that was replaced meanwhile is restarted to
   * rejoin as a replica, as after a pause.
   */
  default void heal(Target target, String instance) throws Exception {
    throw new UnsupportedOperationException("this target cannot heal " + instance);
  }

  /** Undoes what an earlier drill, killed mid-fault, left cut off; nothing where nothing is. */
  default void sweep() throws Exception {}

  /**
   * True when every instance is up and healthy and every shard replicates synchronously again: the
   * state the next fault may start from.
   */
  boolean steady() throws Exception;
}
