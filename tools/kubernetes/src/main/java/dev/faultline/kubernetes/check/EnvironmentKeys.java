package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every environment variable a container is given (its {@code env}, and the keys of the ConfigMaps
 * its {@code envFrom} names) is one its image's program reads: a misspelt key is silently ignored
 * by Spring and by the entrypoints, so only a check finds it.
 */
public final class EnvironmentKeys {
  private EnvironmentKeys() {}

  /**
   * @param readers per image name ({@code order-service}, {@code postgres}), whether its program
   *     reads a variable
   */
  public static List<String> problems(Manifests manifests, Map<String, Predicate<String>> readers) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      for (Map<String, Object> container : workload.containers()) {
        String image = Images.name(String.valueOf(container.get("image")));
        Predicate<String> reads = readers.get(image);
        if (reads == null) {
          problems.add(workload.id() + ": no known reader for image " + container.get("image"));
          continue;
        }
        for (String key : keys(manifests, workload, container, problems)) {
          if (!reads.test(key)) {
            problems.add(
                workload.id() + ": environment key " + key + " is not one " + image + " reads");
          }
        }
      }
    }
    return problems;
  }

  /** The container's variables by name: env, then every key of every envFrom ConfigMap. */
  static Set<String> keys(
      Manifests manifests, KObject workload, Map<String, Object> container, List<String> problems) {
    Set<String> keys = new LinkedHashSet<>();
    for (Map<String, Object> env : KObject.maps(container.get("env"))) {
      keys.add(String.valueOf(env.get("name")));
    }
    for (Map<String, Object> from : KObject.maps(container.get("envFrom"))) {
      String name = String.valueOf(KObject.map(from, "configMapRef").get("name"));
      manifests
          .find("ConfigMap", name)
          .ifPresentOrElse(
              map -> keys.addAll(KObject.map(map.tree(), "data").keySet()),
              () ->
                  problems.add(
                      workload.id()
                          + ": envFrom names ConfigMap "
                          + name
                          + ", which is not in the manifests"));
    }
    return keys;
  }

  /** The value a container gives {@code key} (env first, then envFrom), if a literal. */
  static String value(Manifests manifests, Map<String, Object> container, String key) {
    for (Map<String, Object> env : KObject.maps(container.get("env"))) {
      if (key.equals(env.get("name")) && env.get("value") != null) {
        return String.valueOf(env.get("value"));
      }
    }
    for (Map<String, Object> from : KObject.maps(container.get("envFrom"))) {
      String name = String.valueOf(KObject.map(from, "configMapRef").get("name"));
      var map = manifests.find("ConfigMap", name);
      if (map.isPresent() && KObject.map(map.get().tree(), "data").containsKey(key)) {
        return String.valueOf(KObject.map(map.get().tree(), "data").get(key));
      }
    }
    return "";
  }
}
