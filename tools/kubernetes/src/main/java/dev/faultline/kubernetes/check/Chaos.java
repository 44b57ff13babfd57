package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.List;
import java.util.Map;

/** A Chaos Mesh PodChaos, or a Schedule of one: its pod-kill spec and what it selects. */
final class Chaos {
  private Chaos() {}

  /** The PodChaos spec: the object's own, or the one a Schedule repeats. */
  static Map<String, Object> podChaos(KObject chaos) {
    return chaos.kind().equals("Schedule") ? KObject.map(chaos.spec(), "podChaos") : chaos.spec();
  }

  /** The workloads whose pods its selector picks from (labelSelectors and expressionSelectors). */
  static List<KObject> selected(Manifests manifests, KObject chaos) {
    Map<String, Object> selector = KObject.map(podChaos(chaos), "selector");
    Map<String, Object> asLabelSelector =
        Map.of(
            "matchLabels", KObject.map(selector, "labelSelectors"),
            "matchExpressions", selector.getOrDefault("expressionSelectors", List.of()));
    return Labels.selected(manifests, asLabelSelector);
  }
}
