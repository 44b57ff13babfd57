package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every selector selects what it is meant to: a workload its own pods; a Service, a PodMonitor, a
 * NetworkPolicy (and each of its peers), a chaos experiment at least one workload's pods; a PDB
 * exactly one workload; a StatefulSet's serviceName a headless Service of its own pods; an
 * anti-affinity term the pods' own labels (the official ZooKeeper tutorial's selects a label its
 * pods do not carry, and so spreads nothing).
 */
public final class Selectors {
  private Selectors() {}

  public static List<String> problems(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      if (!Labels.matches(KObject.map(workload.spec(), "selector"), workload.podLabels())) {
        problems.add(workload.id() + ": its selector does not select its own pods");
      }
      for (Map<String, Object> term : affinityTerms(workload)) {
        if (!Labels.matches(KObject.map(term, "labelSelector"), workload.podLabels())) {
          problems.add(
              workload.id() + ": an anti-affinity term selects labels its pods do not carry");
        }
      }
      if (workload.kind().equals("StatefulSet")) {
        String serviceName = String.valueOf(workload.spec().get("serviceName"));
        var service = manifests.find("Service", serviceName);
        if (service.isEmpty()
            || !"None".equals(service.get().spec().get("clusterIP"))
            || !Labels.matchesPlain(
                KObject.map(service.get().spec(), "selector"), workload.podLabels())) {
          problems.add(
              workload.id()
                  + ": serviceName "
                  + serviceName
                  + " is not a headless Service of its pods");
        }
      }
    }
    for (KObject service : manifests.ofKind("Service")) {
      if (manifests.workloads().stream()
          .noneMatch(
              w -> Labels.matchesPlain(KObject.map(service.spec(), "selector"), w.podLabels()))) {
        problems.add(service.id() + ": selects no pods");
      }
    }
    for (KObject pdb : manifests.ofKind("PodDisruptionBudget")) {
      int selected = Labels.selected(manifests, KObject.map(pdb.spec(), "selector")).size();
      if (selected != 1) {
        problems.add(pdb.id() + ": selects the pods of " + selected + " workloads, not one");
      }
    }
    for (KObject monitor : manifests.ofKind("PodMonitor")) {
      if (Labels.selected(manifests, KObject.map(monitor.spec(), "selector")).isEmpty()) {
        problems.add(monitor.id() + ": selects no pods");
      }
    }
    for (KObject policy : manifests.ofKind("NetworkPolicy")) {
      Map<String, Object> podSelector = KObject.map(policy.spec(), "podSelector");
      if (Labels.selected(manifests, podSelector).isEmpty()) {
        problems.add(policy.id() + ": its podSelector selects no pods");
      }
      for (String direction : List.of("ingress", "egress")) {
        for (Map<String, Object> rule : KObject.maps(policy.spec().get(direction))) {
          for (Map<String, Object> peer :
              KObject.maps(rule.get(direction.equals("ingress") ? "from" : "to"))) {
            if (peer.containsKey("podSelector")
                && !peer.containsKey("namespaceSelector")
                && Labels.selected(manifests, KObject.map(peer, "podSelector")).isEmpty()) {
              problems.add(policy.id() + ": a peer's podSelector selects no pods");
            }
          }
        }
      }
    }
    for (String kind : List.of("PodChaos", "Schedule")) {
      for (KObject chaos : manifests.ofKind(kind)) {
        if (Chaos.selected(manifests, chaos).isEmpty()) {
          problems.add(chaos.id() + ": selects no pods");
        }
      }
    }
    return problems;
  }

  private static List<Map<String, Object>> affinityTerms(KObject workload) {
    Map<String, Object> anti =
        KObject.map(KObject.map(workload.podSpec(), "affinity"), "podAntiAffinity");
    List<Map<String, Object>> terms =
        new ArrayList<>(KObject.maps(anti.get("requiredDuringSchedulingIgnoredDuringExecution")));
    for (Map<String, Object> weighted :
        KObject.maps(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))) {
      terms.add(KObject.map(weighted, "podAffinityTerm"));
    }
    for (Map<String, Object> spread :
        KObject.maps(workload.podSpec().get("topologySpreadConstraints"))) {
      terms.add(spread);
    }
    return terms;
  }
}
