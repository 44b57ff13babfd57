package dev.faultline.kubernetes;

import dev.faultline.kubernetes.schema.ApiSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The repository's k8s/, rendered once per overlay for all the tests. */
final class Repo {
  static final Path ROOT =
      Path.of(System.getProperty("suite.repo", "../..")).toAbsolutePath().normalize();
  static final Path K8S = ROOT.resolve("k8s");

  /** The overlays users apply, and "everything": the base with every component. */
  static final List<String> OVERLAYS = List.of("local", "production", "everything");

  private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
  private static volatile ApiSchemas schemas;

  private Repo() {}

  static Manifests rendered(String overlay) {
    return RENDERED.computeIfAbsent(
        overlay,
        o -> {
          try {
            return Manifests.render(dir(o));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * An overlay's folder; "everything" is written under target/: the local overlay with the other
   * components too (the chaos-mesh one is in no overlay: it kills pods as soon as it is applied).
   */
  static Path dir(String overlay) throws IOException {
    if (!overlay.equals("everything")) {
      return K8S.resolve("overlays").resolve(overlay);
    }
    Path dir = ROOT.resolve("tools/kubernetes/target/k8s-everything");
    Files.createDirectories(dir);
    String up = "../../../../k8s";
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: faultline
        resources:
          - %1$s/overlays/local
        components:
          - %1$s/components/monitoring
          - %1$s/components/chaos-mesh
        """
            .formatted(up));
    return dir;
  }

  static ApiSchemas schemas() throws IOException {
    if (schemas == null) {
      Path crds = Path.of("src/test/resources/crds").toAbsolutePath();
      try (var files = Files.list(crds)) {
        schemas = ApiSchemas.withCrds(files.sorted().toList());
      }
    }
    return schemas;
  }
}
