package dev.faultline.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One Kubernetes object as YAML gives it, with the few paths the checks walk. */
public record KObject(Map<String, Object> tree) {
  public String apiVersion() {
    return String.valueOf(tree.get("apiVersion"));
  }

  public String kind() {
    return String.valueOf(tree.get("kind"));
  }

  public String name() {
    return String.valueOf(map(tree, "metadata").get("name"));
  }

  /** {@code Kind/name}, as messages name it. */
  public String id() {
    return kind() + "/" + name();
  }

  public boolean isWorkload() {
    return kind().equals("Deployment") || kind().equals("StatefulSet");
  }

  public Map<String, Object> spec() {
    return map(tree, "spec");
  }

  /** A workload's pod template's spec. */
  public Map<String, Object> podSpec() {
    return map(map(spec(), "template"), "spec");
  }

  /** A workload's pod template's labels. */
  public Map<String, String> podLabels() {
    return strings(map(map(map(spec(), "template"), "metadata"), "labels"));
  }

  public Map<String, String> labels() {
    return strings(map(map(tree, "metadata"), "labels"));
  }

  public int replicas() {
    Object replicas = spec().get("replicas");
    return replicas == null ? 1 : ((Number) replicas).intValue();
  }

  /** A workload's containers (init containers are not used by the suite). */
  public List<Map<String, Object>> containers() {
    return maps(podSpec().get("containers"));
  }

  public KObject copy() {
    return new KObject(deepCopy(tree));
  }

  // --- tree helpers ---------------------------------------------------------------------------

  /** The map under {@code key}, or an empty one (read-only use) when absent. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(@Nullable Map<String, Object> parent, String key) {
    if (parent == null) {
      return Map.of();
    }
    Object value = parent.get(key);
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(@Nullable Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    List<Map<String, Object>> maps = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        maps.add((Map<String, Object>) m);
      }
    }
    return maps;
  }

  public static List<String> stringList(@Nullable Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(String::valueOf).toList();
  }

  public static Map<String, String> strings(Map<String, Object> map) {
    Map<String, String> strings = new LinkedHashMap<>();
    map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
    return strings;
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }
}
