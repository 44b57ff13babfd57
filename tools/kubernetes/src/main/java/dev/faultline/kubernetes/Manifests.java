package dev.faultline.kubernetes;

import dev.faultline.cluster.process.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects an overlay makes: {@code kubectl kustomize DIR}, exactly what {@code kubectl apply -k
 * DIR} would send, read back as plain maps and lists.
 */
public record Manifests(List<KObject> objects) {
  public Manifests {
    objects = List.copyOf(objects);
  }

  /** Renders {@code dir} (a kustomization) with the kustomize built into kubectl. */
  public static Manifests render(Path dir) throws IOException {
    return parse(kustomize(dir));
  }

  /** Multi-document YAML, as kustomize prints it. */
  @SuppressWarnings("unchecked")
  public static Manifests parse(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(32 * 1024 * 1024);
    List<KObject> objects = new ArrayList<>();
    for (Object document : new Yaml(options).loadAll(yaml)) {
      if (document != null) {
        objects.add(new KObject((Map<String, Object>) document));
      }
    }
    return new Manifests(objects);
  }

  public List<KObject> ofKind(String kind) {
    return objects.stream().filter(o -> o.kind().equals(kind)).toList();
  }

  public Optional<KObject> find(String kind, String name) {
    return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
  }

  /** Deployments and StatefulSets: what runs pods. */
  public List<KObject> workloads() {
    return objects.stream().filter(KObject::isWorkload).toList();
  }

  /** These objects but the one with {@code id} ({@code Kind/name}). */
  public Manifests without(String id) {
    return new Manifests(objects.stream().filter(o -> !o.id().equals(id)).toList());
  }

  /** A deep copy, to plant a mistake in without touching this. */
  public Manifests copy() {
    return new Manifests(objects.stream().map(KObject::copy).toList());
  }

  private static String kustomize(Path dir) throws IOException {
    List<String> command = List.of("kubectl", "kustomize", dir.toString());
    try {
      return Commands.output(command, Duration.ofMinutes(2), UnaryOperator.identity());
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Cannot run program")) {
        throw new IOException(
            "kubectl (with its built-in kustomize) is needed to render k8s/: " + e.getMessage(), e);
      }
      throw e;
    }
  }
}
