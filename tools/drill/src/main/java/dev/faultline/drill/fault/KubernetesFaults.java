package dev.faultline.drill.fault;

import dev.faultline.cluster.kubernetes.Kubectl;
import dev.faultline.cluster.kubernetes.Kubectl.Pod;
import dev.faultline.cluster.kubernetes.PodNames;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Faults on a cluster: a pod deleted with no grace period ({@code kubectl delete pod NAME
 * --grace-period=0 --force --wait=false}: SIGKILL, as a node's crash, and the pod object gone at
 * once), then the controller's replacement waited for. Restore is done when the pod's workload has
 * every replica Ready again and none of them is the killed pod (a StatefulSet's replacement has the
 * same name, so the uid tells them apart). Steady: every pod of the suite Ready, none terminating,
 * every workload at its replica count, and every shard {@code SYNC}.
 *
 * <p>The drill's instance names are the local suite's; here they resolve to pods: a service's
 * {@code order-service-2} is the second of its deployment's pods by name, {@code zk-1} is the
 * StatefulSet's {@code zk-0}, and a shard's primary is the pod the router's topology names now
 * ({@code pg-shard-0-1.pg-shard-0:5432} is pod {@code pg-shard-0-1}).
 */
public final class KubernetesFaults implements FaultActions {
  /** Every pod of the suite carries it (k8s/base's labels). */
  public static final String SUITE_SELECTOR = "app.kubernetes.io/part-of=faultline";

  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(5);

  /** What answers "which node is shard N's primary now": the router's topology. */
  public interface Primaries {
    String primaryHost(Target target) throws IOException;

    /** True when the router reports every shard SYNC. */
    boolean allShardsSync();
  }

  /** A killed pod: which workload must be whole again, and the uid that must not be in it. */
  public record Killed(String workload, String selector, String uid) {}

  private final Kubectl kubectl;
  private final Primaries primaries;
  private final Sleeper sleeper;
  private final Supplier<Long> clock;
  private final Map<String, Killed> killed = new ConcurrentHashMap<>();

  /** Waits between polls; tests pass one that returns at once. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public KubernetesFaults(Kubectl kubectl, Primaries primaries) {
    this(kubectl, primaries, d -> Thread.sleep(d), System::nanoTime);
  }

  KubernetesFaults(
      Kubectl kubectl, Primaries primaries, Sleeper sleeper, Supplier<Long> nanoClock) {
    this.kubectl = kubectl;
    this.primaries = primaries;
    this.sleeper = sleeper;
    this.clock = nanoClock;
  }

  /**
   * The pods of a drill group, as a label selector: the same labels k8s/base gives them (and the
   * chaos-mesh component selects by).
   */
  public static String selector(String group) {
    return "app.kubernetes.io/instance=faultline,app.kubernetes.io/name="
        + switch (group) {
          case "zookeeper" -> "zookeeper";
          case "pg-primary" -> "postgres";
          default -> group;
        };
  }

  /** The workload a pod belongs to, and the selector of its pods, from the pod's name. */
  public static Killed workloadOf(String pod, String group, String uid) {
    if (pod.matches("zk-\\d+")) {
      return new Killed("statefulset/zk", selector("zookeeper"), uid);
    }
    var shard = java.util.regex.Pattern.compile("(pg-shard-(\\d+))-\\d+").matcher(pod);
    if (shard.matches()) {
      return new Killed(
          "statefulset/" + shard.group(1),
          selector("pg-primary") + ",faultline.dev/shard=" + shard.group(2),
          uid);
    }
    return new Killed("deployment/" + group, selector(group), uid);
  }

  @Override
  public String resolve(Target target) throws Exception {
    return switch (target.kind()) {
      case ZK -> "zk-" + (number(target.name()) - 1);
      case PG -> {
        yield PodNames.of(primaries.primaryHost(target));
      }
      // A gateway is a deployment like the services (Schedule keeps it out with one replica).
      case SERVICES, GATEWAY -> {
        List<Pod> pods =
            kubectl.pods(selector(target.group())).stream().filter(p -> !p.terminating()).toList();
        if (pods.isEmpty()) {
          throw new IOException("no pod of " + target.group() + " runs");
        }
        yield pods.get((number(target.name()) - 1) % pods.size()).name();
      }
    };
  }

  @Override
  public void kill(String instance) throws Exception {
    Pod pod =
        kubectl.pod(instance).orElseThrow(() -> new IOException("no pod " + instance + " to kill"));
    String group = pod.labels().getOrDefault("app.kubernetes.io/name", instance);
    killed.put(instance, workloadOf(instance, group, pod.uid()));
    kubectl.deletePod(instance);
  }

  @Override
  public void restore(String instance) throws Exception {
    Killed kill = killed.remove(instance);
    if (kill == null) {
      throw new IllegalStateException(instance + " was not killed by this drill");
    }
    int replicas = kubectl.replicas(kill.workload());
    long deadline = clock.get() + RESTORE_TIMEOUT.toNanos();
    while (true) {
      List<Pod> pods = kubectl.pods(kill.selector());
      if (whole(pods, replicas, kill.uid())) {
        return;
      }
      if (clock.get() > deadline) {
        throw new IOException(
            kill.workload()
                + " is not whole "
                + RESTORE_TIMEOUT
                + " after "
                + instance
                + " was killed: "
                + pods);
      }
      sleeper.sleep(Duration.ofSeconds(2));
    }
  }

  /** {@code replicas} pods, all Ready, none terminating, none the killed one. */
  static boolean whole(List<Pod> pods, int replicas, String killedUid) {
    return pods.size() == replicas
        && pods.stream().allMatch(p -> p.ready() && !p.terminating() && !p.uid().equals(killedUid));
  }

  @Override
  public boolean steady() throws Exception {
    return unready().isEmpty() && primaries.allShardsSync();
  }

  /**
   * What is not whole now: the suite's pods that are not Ready or are terminating, and workloads
   * with fewer Ready replicas than they ask for (a pod not even created yet); empty when none.
   */
  public List<String> unready() throws IOException {
    List<String> unready = new java.util.ArrayList<>();
    kubectl.pods(SUITE_SELECTOR).stream()
        .filter(p -> !p.ready() || p.terminating())
        .map(Pod::name)
        .forEach(unready::add);
    kubectl.workloads(SUITE_SELECTOR).stream()
        .filter(w -> !w.whole())
        .map(w -> w.name() + " (" + w.ready() + "/" + w.replicas() + " ready)")
        .forEach(unready::add);
    return unready;
  }

  private static int number(String name) {
    return Integer.parseInt(name.replaceAll("^.*?-(\\d+)$", "$1"));
  }
}
