package dev.faultline.kubernetes.check;

import dev.faultline.cluster.kubernetes.Kubectl;
import dev.faultline.drill.fault.FaultKind;
import dev.faultline.drill.fault.KubernetesFaults;
import dev.faultline.drill.fault.Schedule;
import dev.faultline.drill.fault.Target;
import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The drill's Kubernetes fault commands fit these manifests, and the Chaos Mesh experiments do what
 * the drill does:
 *
 * <ul>
 *   <li>every instance a drill strikes resolves to a pod these manifests run (a service's group is
 *       a Deployment of that name, {@code zk-1..3} are the ZooKeeper StatefulSet's first pods, each
 *       shard's primary is a pod of that shard's StatefulSet), and the selector the drill lists and
 *       waits for it by selects exactly that workload's pods; the suite's selector selects every
 *       pod;
 *   <li>per fault kind, the PodChaos and the Schedule kill ({@code pod-kill}) with the grace period
 *       of the drill's {@code kubectl delete} and select the pods of exactly the workloads the
 *       drill strikes for that kind.
 * </ul>
 */
public final class FaultCommands {
  private FaultCommands() {}

  public static List<String> problems(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (Target target : Schedule.targets()) {
      String pod = examplePod(target);
      KubernetesFaults.Killed kill = KubernetesFaults.workloadOf(pod, target.group(), "uid");
      String[] workload = kill.workload().split("/");
      String kind = workload[0].equals("statefulset") ? "StatefulSet" : "Deployment";
      var found = manifests.find(kind, workload[1]);
      if (found.isEmpty()) {
        problems.add(
            "the drill strikes "
                + target.name()
                + " as pod "
                + pod
                + " of "
                + kill.workload()
                + ", which the manifests do not have");
        continue;
      }
      if (kind.equals("StatefulSet")) {
        int ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        if (ordinal >= found.get().replicas()) {
          problems.add(
              "the drill strikes pod "
                  + pod
                  + " but "
                  + found.get().id()
                  + " has "
                  + found.get().replicas()
                  + " replicas");
        }
      }
      List<KObject> selected = Labels.selected(manifests, selector(kill.selector()));
      if (!selected.equals(List.of(found.get()))) {
        problems.add(
            "the drill waits for "
                + target.name()
                + "'s replacement by "
                + kill.selector()
                + ", which selects "
                + ids(selected)
                + ", not "
                + found.get().id());
      }
    }
    List<KObject> all = Labels.selected(manifests, selector(KubernetesFaults.SUITE_SELECTOR));
    if (!all.containsAll(manifests.workloads())) {
      problems.add(
          "the drill's steady check ("
              + KubernetesFaults.SUITE_SELECTOR
              + ") does not see every workload's pods");
    }
    String grace = deleteGrace();
    for (FaultKind kind : FaultKind.values()) {
      if (kind == FaultKind.GATEWAY) {
        continue; // one gateway replica: the drill does not strike it here, nor does Chaos Mesh
      }
      String label = kind.name().toLowerCase(java.util.Locale.ROOT);
      Set<String> drilled = new TreeSet<>();
      for (Target target : Schedule.targets()) {
        if (target.kind() == kind) {
          Labels.selected(manifests, selector(KubernetesFaults.selector(target.group())))
              .forEach(w -> drilled.add(w.id()));
        }
      }
      for (String chaosKind : List.of("PodChaos", "Schedule")) {
        List<KObject> experiments =
            manifests.ofKind(chaosKind).stream()
                .filter(c -> label.equals(c.labels().get("faultline.dev/fault-kind")))
                .toList();
        if (experiments.size() != 1 && !manifests.ofKind(chaosKind).isEmpty()) {
          problems.add(
              experiments.size()
                  + " "
                  + chaosKind
                  + " experiments for the fault kind "
                  + label
                  + ", not one");
        }
        for (KObject chaos : experiments) {
          Map<String, Object> spec = Chaos.podChaos(chaos);
          if (!"pod-kill".equals(spec.get("action"))) {
            problems.add(
                chaos.id()
                    + ": action "
                    + spec.get("action")
                    + ", the drill kills pods (pod-kill)");
          }
          if (!String.valueOf(spec.get("gracePeriod")).equals(grace)) {
            problems.add(
                chaos.id()
                    + ": gracePeriod "
                    + spec.get("gracePeriod")
                    + ", the drill deletes with --grace-period="
                    + grace);
          }
          Set<String> struck = new TreeSet<>(ids(Chaos.selected(manifests, chaos)));
          if (!struck.equals(drilled)) {
            problems.add(
                chaos.id()
                    + ": strikes "
                    + struck
                    + ", the drill's "
                    + label
                    + " kind strikes "
                    + drilled);
          }
        }
      }
    }
    return problems;
  }

  /**
   * The pod the drill's Kubernetes target would strike for {@code target} (a first one of each).
   */
  private static String examplePod(Target target) {
    int n = Integer.parseInt(target.name().replaceAll("^.*?-(\\d+)(-primary)?$", "$1"));
    return switch (target.kind()) {
      case ZK -> "zk-" + (n - 1);
      case PG -> "pg-shard-" + n + "-0";
      case SERVICES, GATEWAY -> target.group() + "-5d8f7c9b4-x2x7q";
    };
  }

  /** The {@code --grace-period} of the drill's delete, from the exact command it runs. */
  static String deleteGrace() {
    List<List<String>> calls = new ArrayList<>();
    Kubectl kubectl =
        new Kubectl(
            null,
            "faultline",
            (command, timeout) -> {
              calls.add(command);
              return "";
            });
    try {
      kubectl.deletePod("x");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (String argument : calls.getFirst()) {
      if (argument.startsWith("--grace-period=")) {
        return argument.substring("--grace-period=".length());
      }
    }
    return "(default)";
  }

  /** {@code a=b,c=d} as a LabelSelector. */
  static Map<String, Object> selector(String text) {
    Map<String, Object> labels = new java.util.LinkedHashMap<>();
    for (String pair : text.split(",")) {
      String[] kv = pair.split("=", 2);
      labels.put(kv[0], kv[1]);
    }
    return Map.of("matchLabels", labels);
  }

  private static List<String> ids(List<KObject> objects) {
    return new ArrayList<>(new LinkedHashSet<>(objects.stream().map(KObject::id).toList()));
  }
}
