package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import dev.faultline.kubernetes.check.Picture.Edge;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connections the NetworkPolicies allow, computed as a network plugin enforces them (a pod
 * selected by a policy of a direction is isolated in that direction; a connection needs the
 * caller's egress and the callee's ingress), between the suite's components and from outside, equal
 * the picture's edges: none missing, none extra. Every pod may also resolve names.
 */
public final class NetworkEdges {
  private NetworkEdges() {}

  public static List<String> problems(Manifests manifests, Set<Edge> picture) {
    Set<Edge> allowed = allowed(manifests);
    List<String> problems = new ArrayList<>();
    for (Edge edge : picture) {
      if (!allowed.contains(edge)) {
        problems.add("the picture's edge " + edge + " is not allowed by the NetworkPolicies");
      }
    }
    for (Edge edge : allowed) {
      if (!picture.contains(edge)) {
        problems.add("the NetworkPolicies allow " + edge + ", which is not an edge of the picture");
      }
    }
    for (KObject workload : manifests.workloads()) {
      if (isolated(manifests, workload, "Egress") && !resolvesNames(manifests, workload)) {
        problems.add(workload.id() + ": may not reach kube-dns on port 53");
      }
    }
    return problems;
  }

  /** Every (caller, callee, port) allowed, over the ports the callees' containers declare. */
  static Set<Edge> allowed(Manifests manifests) {
    Set<Edge> allowed = new TreeSet<>(java.util.Comparator.comparing(Edge::toString));
    List<KObject> workloads = manifests.workloads();
    for (KObject callee : workloads) {
      Set<Integer> ports = new LinkedHashSet<>();
      callee.containers().forEach(c -> ports.addAll(PortsAndProbes.ports(c).values()));
      for (int port : ports) {
        if (admits(manifests, callee, "Ingress", null, port)) {
          allowed.add(new Edge(Picture.OUTSIDE, Labels.app(callee), port));
        }
        for (KObject caller : workloads) {
          if (admits(manifests, callee, "Ingress", caller, port)
              && admits(manifests, caller, "Egress", callee, port)) {
            allowed.add(new Edge(Labels.app(caller), Labels.app(callee), port));
          }
        }
      }
    }
    return allowed;
  }

  /**
   * Whether {@code pod}'s policies of {@code type} let {@code peer} (null: someone outside the
   * suite) through on {@code port}: yes if none isolates it, else if a rule of one admits it.
   */
  private static boolean admits(
      Manifests manifests, KObject pod, String type, KObject peer, int port) {
    if (!isolated(manifests, pod, type)) {
      return true;
    }
    String direction = type.equals("Ingress") ? "ingress" : "egress";
    String peers = type.equals("Ingress") ? "from" : "to";
    for (KObject policy : policies(manifests, pod, type)) {
      for (Map<String, Object> rule : KObject.maps(policy.spec().get(direction))) {
        if (!portMatches(rule, port)) {
          continue;
        }
        List<Map<String, Object>> list = KObject.maps(rule.get(peers));
        if (!rule.containsKey(peers)) {
          return true; // no peers listed: everyone
        }
        for (Map<String, Object> p : list) {
          if (peerMatches(p, peer)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A peer: a pod of this namespace by podSelector; anyone by an open ipBlock or namespaceSelector
   * {}.
   */
  private static boolean peerMatches(Map<String, Object> peer, KObject pod) {
    if (pod == null) {
      boolean anyAddress =
          "0.0.0.0/0".equals(KObject.map(peer, "ipBlock").get("cidr"))
              && KObject.map(peer, "ipBlock").get("except") == null;
      boolean anyNamespace =
          peer.containsKey("namespaceSelector")
              && KObject.map(peer, "namespaceSelector").isEmpty()
              && !peer.containsKey("podSelector");
      return anyAddress || anyNamespace;
    }
    if (peer.containsKey("ipBlock")) {
      return "0.0.0.0/0".equals(KObject.map(peer, "ipBlock").get("cidr"));
    }
    if (peer.containsKey("namespaceSelector")) {
      // Another namespace's pods, unless it selects every namespace (ours too).
      if (!KObject.map(peer, "namespaceSelector").isEmpty()) {
        return false;
      }
      return !peer.containsKey("podSelector")
          || Labels.matches(KObject.map(peer, "podSelector"), pod.podLabels());
    }
    return Labels.matches(KObject.map(peer, "podSelector"), pod.podLabels());
  }

  private static boolean portMatches(Map<String, Object> rule, int port) {
    if (!rule.containsKey("ports")) {
      return true;
    }
    for (Map<String, Object> p : KObject.maps(rule.get("ports"))) {
      Object number = p.get("port");
      if (number == null || String.valueOf(number).equals(Integer.toString(port))) {
        return "TCP".equals(p.getOrDefault("protocol", "TCP"));
      }
    }
    return false;
  }

  /** Whether {@code policy} applies to {@code workload}'s pods. */
  public static boolean selects(KObject policy, KObject workload) {
    return Labels.matches(KObject.map(policy.spec(), "podSelector"), workload.podLabels());
  }

  private static boolean isolated(Manifests manifests, KObject pod, String type) {
    return !policies(manifests, pod, type).isEmpty();
  }

  private static List<KObject> policies(Manifests manifests, KObject pod, String type) {
    return manifests.ofKind("NetworkPolicy").stream()
        .filter(p -> Labels.matches(KObject.map(p.spec(), "podSelector"), pod.podLabels()))
        .filter(p -> policyTypes(p).contains(type))
        .toList();
  }

  private static List<String> policyTypes(KObject policy) {
    List<String> types = KObject.stringList(policy.spec().get("policyTypes"));
    if (!types.isEmpty()) {
      return types;
    }
    return policy.spec().containsKey("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
  }

  private static boolean resolvesNames(Manifests manifests, KObject pod) {
    for (KObject policy : policies(manifests, pod, "Egress")) {
      for (Map<String, Object> rule : KObject.maps(policy.spec().get("egress"))) {
        boolean toDns =
            KObject.maps(rule.get("to")).stream()
                .anyMatch(
                    p ->
                        "kube-dns"
                            .equals(
                                KObject.map(KObject.map(p, "podSelector"), "matchLabels")
                                    .get("k8s-app")));
        boolean port53 =
            KObject.maps(rule.get("ports")).stream()
                .anyMatch(
                    p ->
                        "53".equals(String.valueOf(p.get("port")))
                            && "UDP".equals(p.get("protocol")));
        if (toDns && port53) {
          return true;
        }
      }
    }
    return false;
  }
}
