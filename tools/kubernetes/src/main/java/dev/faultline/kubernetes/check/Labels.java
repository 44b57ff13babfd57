package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.List;
import java.util.Map;

/** Label selectors as the API server applies them: matchLabels and matchExpressions. */
final class Labels {
  private Labels() {}

  /** A LabelSelector ({@code matchLabels}, {@code matchExpressions}); empty selects everything. */
  static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
    for (var required : KObject.map(selector, "matchLabels").entrySet()) {
      if (!String.valueOf(required.getValue()).equals(labels.get(required.getKey()))) {
        return false;
      }
    }
    for (Map<String, Object> expression : KObject.maps(selector.get("matchExpressions"))) {
      String key = String.valueOf(expression.get("key"));
      List<String> values = KObject.stringList(expression.get("values"));
      boolean ok =
          switch (String.valueOf(expression.get("operator"))) {
            case "In" -> values.contains(labels.get(key));
            case "NotIn" -> !values.contains(labels.get(key));
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A plain map selector (a Service's {@code selector}). */
  static boolean matchesPlain(Map<String, Object> selector, Map<String, String> labels) {
    return matches(Map.of("matchLabels", selector), labels);
  }

  /** The workloads whose pods {@code selector} selects. */
  static List<KObject> selected(Manifests manifests, Map<String, Object> selector) {
    return manifests.workloads().stream().filter(w -> matches(selector, w.podLabels())).toList();
  }

  /** A workload's component name: its pods' {@code app.kubernetes.io/name}. */
  static String app(KObject workload) {
    return workload.podLabels().getOrDefault("app.kubernetes.io/name", workload.name());
  }
}
