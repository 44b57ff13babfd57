package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every pod as the restricted Pod Security Standard and the issue ask: not root, no privilege
 * escalation, every capability dropped, the runtime's seccomp profile, a read-only root file system
 * (writable paths are volumes), requests and limits for CPU and memory, no API token mounted
 * (nothing in the suite calls the Kubernetes API), and time to shut down gracefully.
 */
public final class Hardening {
  private Hardening() {}

  public static List<String> problems(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      Map<String, Object> pod = workload.podSpec();
      Map<String, Object> podSecurity = KObject.map(pod, "securityContext");
      if (!Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"))) {
        problems.add(workload.id() + ": the pod is not runAsNonRoot");
      }
      Object uid = podSecurity.get("runAsUser");
      if (!(uid instanceof Number n) || n.intValue() == 0) {
        problems.add(workload.id() + ": the pod names no non-root runAsUser");
      }
      if (!"RuntimeDefault".equals(KObject.map(podSecurity, "seccompProfile").get("type"))) {
        problems.add(workload.id() + ": seccomp is not RuntimeDefault");
      }
      if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
        problems.add(workload.id() + ": mounts a service account token it never uses");
      }
      Object grace = pod.get("terminationGracePeriodSeconds");
      if (!(grace instanceof Number g) || g.intValue() < 20) {
        problems.add(
            workload.id()
                + ": terminationGracePeriodSeconds "
                + grace
                + " is shorter than the drain (20 s)");
      }
      for (Map<String, Object> container : workload.containers()) {
        String c = workload.id() + " container " + container.get("name");
        Map<String, Object> security = KObject.map(container, "securityContext");
        if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
          problems.add(c + ": allowPrivilegeEscalation is not false");
        }
        if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
          problems.add(c + ": the root file system is not read-only");
        }
        if (!KObject.stringList(KObject.map(security, "capabilities").get("drop"))
            .contains("ALL")) {
          problems.add(c + ": does not drop ALL capabilities");
        }
        if (security.containsKey("privileged")
            && !Boolean.FALSE.equals(security.get("privileged"))) {
          problems.add(c + ": is privileged");
        }
        Map<String, Object> resources = KObject.map(container, "resources");
        for (String bound : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            if (!KObject.map(resources, bound).containsKey(resource)) {
              problems.add(c + ": no " + resource + " in " + bound);
            }
          }
        }
        boolean tmp =
            KObject.maps(container.get("volumeMounts")).stream()
                .anyMatch(m -> "/tmp".equals(m.get("mountPath")));
        if (!tmp) {
          problems.add(c + ": no writable /tmp (an emptyDir) under a read-only root");
        }
      }
    }
    return problems;
  }
}
