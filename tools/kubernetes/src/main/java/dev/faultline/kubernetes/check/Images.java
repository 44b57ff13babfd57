package dev.faultline.kubernetes.check;

import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every container runs an image {@code bin/suite images} builds, at the project's version, and the
 * same image compose runs for that component: one set of images for every runtime.
 */
public final class Images {
  private Images() {}

  /** {@code faultline/order-service:0.1.0-SNAPSHOT} → {@code order-service}. */
  static String name(String image) {
    String path = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * @param built the images bin/suite images builds, as {@code faultline/NAME}
   * @param composeImages per component ({@code order-service}, {@code zookeeper}, {@code
   *     postgres}), the image compose runs, its version variable resolved
   */
  public static List<String> problems(
      Manifests manifests, String version, Set<String> built, Map<String, String> composeImages) {
    List<String> problems = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      for (Map<String, Object> container : workload.containers()) {
        String image = String.valueOf(container.get("image"));
        String repository =
            image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "latest";
        if (!built.contains(repository)) {
          problems.add(workload.id() + ": image " + image + " is not one bin/suite images builds");
        }
        if (!tag.equals(version)) {
          problems.add(
              workload.id() + ": image " + image + " is not this version's (" + version + ")");
        }
        String app = Labels.app(workload);
        String compose = composeImages.get(app);
        if (compose == null) {
          problems.add(workload.id() + ": compose runs no " + app);
        } else if (!compose.equals(image)) {
          problems.add(
              workload.id() + ": runs " + image + " but compose runs " + app + " as " + compose);
        }
      }
    }
    return problems;
  }
}
