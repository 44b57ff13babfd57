package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.List;

/**
 * Every workload with more than one replica has a PodDisruptionBudget, and every budget leaves room
 * for one voluntary disruption (a drain that can never evict a pod blocks node upgrades forever),
 * and allows no more than the workload survives: a ZooKeeper ensemble and a shard lose at most one
 * member.
 */
public final class Disruptions {
  private Disruptions() {}

  public static List<String> problems(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      List<KObject> budgets =
          manifests.ofKind("PodDisruptionBudget").stream()
              .filter(b -> Labels.matches(KObject.map(b.spec(), "selector"), workload.podLabels()))
              .toList();
      int replicas = workload.replicas();
      if (replicas > 1 && budgets.isEmpty()) {
        problems.add(workload.id() + ": " + replicas + " replicas and no PodDisruptionBudget");
      }
      for (KObject budget : budgets) {
        int allowed = disruptionsAllowed(budget, replicas);
        if (allowed < 1) {
          problems.add(
              budget.id()
                  + ": allows no voluntary disruption of "
                  + workload.id()
                  + " ("
                  + replicas
                  + " replicas)");
        }
        int quorum = replicas / 2 + 1;
        if (workload.kind().equals("StatefulSet")
            && replicas - allowed < Math.min(quorum, replicas - 1)) {
          problems.add(
              budget.id()
                  + ": allows "
                  + allowed
                  + " of "
                  + workload.id()
                  + "'s "
                  + replicas
                  + " pods down at once");
        }
      }
    }
    return problems;
  }

  /** How many pods of {@code replicas} the budget lets be evicted at once. */
  static int disruptionsAllowed(KObject budget, int replicas) {
    Object max = budget.spec().get("maxUnavailable");
    Object min = budget.spec().get("minAvailable");
    if (max != null) {
      return count(max, replicas, false);
    }
    if (min != null) {
      return replicas - count(min, replicas, true);
    }
    return 0;
  }

  /** An int or a percentage (rounded up, as the disruption controller rounds). */
  private static int count(Object value, int replicas, boolean roundUp) {
    String text = String.valueOf(value);
    if (text.endsWith("%")) {
      double share = Double.parseDouble(text.substring(0, text.length() - 1)) / 100 * replicas;
      return (int) Math.ceil(share);
    }
    return Integer.parseInt(text);
  }
}
