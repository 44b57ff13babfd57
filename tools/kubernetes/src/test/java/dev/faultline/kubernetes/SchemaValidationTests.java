package dev.faultline.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.kubernetes.schema.ApiSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every object of every overlay, and the Secrets bin/suite k8s-secrets makes, validate strictly:
 * built-in kinds against Kubernetes 1.32's API, custom resources against their CRDs (vendored in
 * src/test/resources/crds: Prometheus Operator v0.93.0, Chaos Mesh v2.8.3). And the validation is
 * shown to catch what a strict server would refuse.
 */
class SchemaValidationTests {
  static final List<String> OVERLAYS = Repo.OVERLAYS;

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void everyObjectOfTheOverlayIsValid(String overlay) throws Exception {
    Manifests manifests = Repo.rendered(overlay);
    List<String> problems = new ArrayList<>();
    for (KObject object : manifests.objects()) {
      problems.addAll(Repo.schemas().problems(object));
    }
    assertThat(problems).isEmpty();
    assertThat(manifests.objects()).hasSizeGreaterThan(30);
    // Secrets are made in the cluster's namespace by bin/suite k8s-secrets, never committed.
    assertThat(manifests.ofKind("Secret")).isEmpty();
  }

  @Test
  void everythingHasEveryKindTheSuiteUses() throws Exception {
    List<String> kinds =
        Repo.rendered("everything").objects().stream()
            .map(o -> o.apiVersion() + "/" + o.kind())
            .distinct()
            .sorted()
            .toList();
    assertThat(kinds)
        .contains(
            "apps/v1/StatefulSet",
            "apps/v1/Deployment",
            "policy/v1/PodDisruptionBudget",
            "networking.k8s.io/v1/NetworkPolicy",
            "monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule",
            "chaos-mesh.org/v1alpha1/PodChaos",
            "chaos-mesh.org/v1alpha1/Schedule");
    assertThat(Repo.rendered("production").ofKind("Ingress")).hasSize(1);
  }

  @Test
  void theGeneratedSecretsAreValidToo(@TempDir Path dir) throws Exception {
    Manifests secrets = Manifests.parse(new ClusterSecrets(dir).manifests());
    assertThat(secrets.ofKind("Secret")).hasSize(4);
    assertThat(secrets.ofKind("ConfigMap")).hasSize(1);
    for (KObject object : secrets.objects()) {
      assertThat(Repo.schemas().problems(object)).as(object.id()).isEmpty();
    }
  }

  // --- planted mistakes: what a strict API server refuses, this refuses ----------------------

  private static List<String> plantInDeployment(
      java.util.function.Consumer<Map<String, Object>> plant) throws Exception {
    KObject deployment =
        Repo.rendered("local").copy().find("Deployment", "order-service").orElseThrow();
    plant.accept(deployment.containers().getFirst());
    return Repo.schemas().problems(deployment);
  }

  @Test
  void anUnknownFieldIsRefused() throws Exception {
    assertThat(
            plantInDeployment(
                c -> KObject.map(c, "securityContext").put("readOnlyRootFileSystem", true)))
        .singleElement()
        .asString()
        .contains("Deployment/order-service")
        .contains("readOnlyRootFileSystem")
        .contains("is not defined in the `V1SecurityContext` properties");
  }

  @Test
  void aValueOfTheWrongTypeIsRefused() throws Exception {
    assertThat(
            plantInDeployment(
                c -> KObject.maps(c.get("ports")).getFirst().put("containerPort", "http")))
        .singleElement()
        .asString()
        .contains("NumberFormatException");
  }

  @Test
  void aMissingRequiredFieldIsRefused() throws Exception {
    assertThat(plantInDeployment(c -> c.remove("name")))
        .singleElement()
        .asString()
        .contains("The required field `name` is not found");
  }

  @Test
  void aCustomResourceIsHeldToItsCrd() throws Exception {
    ApiSchemas schemas = Repo.schemas();
    Manifests everything = Repo.rendered("everything").copy();
    KObject chaos = everything.find("PodChaos", "faultline-kill-zk").orElseThrow();
    chaos.spec().put("gracePeriods", 0);
    assertThat(schemas.problems(chaos)).anyMatch(p -> p.contains("gracePeriods"));
    KObject wrongAction =
        Repo.rendered("everything").copy().find("PodChaos", "faultline-kill-zk").orElseThrow();
    wrongAction.spec().put("action", "pod-kil");
    assertThat(schemas.problems(wrongAction)).anyMatch(p -> p.contains("action"));
    KObject monitor = everything.find("PodMonitor", "gateway").orElseThrow();
    KObject.maps(monitor.spec().get("podMetricsEndpoints")).getFirst().put("honourLabels", true);
    assertThat(schemas.problems(monitor)).anyMatch(p -> p.contains("honourLabels"));
    KObject rule = everything.find("PrometheusRule", "faultline").orElseThrow();
    rule.tree()
        .put("metadata", new java.util.LinkedHashMap<>(Map.of("name", "x", "labelz", Map.of())));
    assertThat(schemas.problems(rule)).anyMatch(p -> p.contains("labelz"));
  }

  @Test
  void aKindWithNoSchemaIsAnErrorNotAPass() throws Exception {
    KObject cron =
        new KObject(
            new java.util.LinkedHashMap<>(
                Map.of(
                    "apiVersion", "batch/v1", "kind", "CronJob", "metadata", Map.of("name", "x"))));
    assertThat(Repo.schemas().problems(cron)).singleElement().asString().contains("no schema");
  }
}
