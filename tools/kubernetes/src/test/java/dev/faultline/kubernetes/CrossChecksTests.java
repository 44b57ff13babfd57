package dev.faultline.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.kubernetes.check.Disruptions;
import dev.faultline.kubernetes.check.EnvironmentKeys;
import dev.faultline.kubernetes.check.FaultCommands;
import dev.faultline.kubernetes.check.Hardening;
import dev.faultline.kubernetes.check.Images;
import dev.faultline.kubernetes.check.NetworkEdges;
import dev.faultline.kubernetes.check.Picture;
import dev.faultline.kubernetes.check.PortsAndProbes;
import dev.faultline.kubernetes.check.SecretsMounted;
import dev.faultline.kubernetes.check.Selectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every cross-check finds nothing wrong in every overlay, and each one is shown to catch a mistake
 * planted in a copy of the rendered manifests.
 */
class CrossChecksTests {
  static final List<String> OVERLAYS = Repo.OVERLAYS;

  /** Every check, over one overlay's objects. */
  static List<String> all(Manifests m) throws Exception {
    List<String> problems = new ArrayList<>();
    problems.addAll(EnvironmentKeys.problems(m, Inputs.readers()));
    problems.addAll(PortsAndProbes.problems(m, Inputs.services(), Repo.ROOT.resolve("images")));
    problems.addAll(Selectors.problems(m));
    problems.addAll(NetworkEdges.problems(m, Picture.edges(Inputs.services())));
    problems.addAll(Disruptions.problems(m));
    problems.addAll(
        Images.problems(m, Inputs.version(), Inputs.builtImages(), Inputs.composeImages()));
    problems.addAll(FaultCommands.problems(m));
    problems.addAll(Hardening.problems(m));
    problems.addAll(SecretsMounted.problems(m, Inputs.generatedSecrets()));
    return problems;
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void theManifestsPassEveryCheck(String overlay) throws Exception {
    assertThat(all(Repo.rendered(overlay))).isEmpty();
  }

  // --- helpers to plant mistakes in a copy ------------------------------------------------------

  private static Manifests plant(String overlay, Consumer<Manifests> mistake) {
    Manifests copy = Repo.rendered(overlay).copy();
    mistake.accept(copy);
    return copy;
  }

  private static KObject get(Manifests m, String kind, String name) {
    return m.find(kind, name).orElseThrow();
  }

  private static Map<String, Object> container(Manifests m, String kind, String name) {
    return get(m, kind, name).containers().getFirst();
  }

  @SuppressWarnings("unchecked")
  private static void addEnv(Map<String, Object> container, String name, String value) {
    ((List<Object>) container.get("env"))
        .add(new LinkedHashMap<>(Map.of("name", name, "value", value)));
  }

  @SuppressWarnings("unchecked")
  private static void setEnv(Map<String, Object> container, String name, String value) {
    for (Map<String, Object> env : KObject.maps(container.get("env"))) {
      if (name.equals(env.get("name"))) {
        env.put("value", value);
        return;
      }
    }
    addEnv(container, name, value);
  }

  // --- environment keys -------------------------------------------------------------------------

  @Test
  void aMisspeltEnvironmentKeyIsCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              addEnv(
                  container(c, "Deployment", "order-service"), "FAULTLINE_SHARD_NODES_0_ID", "0");
              addEnv(container(c, "StatefulSet", "pg-shard-0"), "FAULTLINE_PG_NODE", "x:5432");
            });
    assertThat(EnvironmentKeys.problems(m, Inputs.readers()))
        .containsExactly(
            "Deployment/order-service: environment key FAULTLINE_SHARD_NODES_0_ID is not one"
                + " order-service reads",
            "StatefulSet/pg-shard-0: environment key FAULTLINE_PG_NODE is not one postgres reads");
  }

  @Test
  void aKeyFromAConfigMapIsCheckedToo() throws Exception {
    Manifests m =
        plant(
            "local",
            c ->
                KObject.map(get(c, "ConfigMap", "faultline-services").tree(), "data")
                    .put("SPRING_CLOUD_ZOOKEEPER_CONNECTSTRINGS", "zk:2181"));
    assertThat(EnvironmentKeys.problems(m, Inputs.readers()))
        .hasSize(5)
        .allMatch(p -> p.contains("SPRING_CLOUD_ZOOKEEPER_CONNECTSTRINGS is not one"));
  }

  // --- ports and probes -------------------------------------------------------------------------

  @Test
  void aWrongPortOrProbePathIsCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              KObject.maps(container(c, "Deployment", "order-service").get("ports"))
                  .getFirst()
                  .put("containerPort", 8080);
              KObject.map(
                      KObject.map(container(c, "Deployment", "lock-service"), "readinessProbe"),
                      "httpGet")
                  .put("path", "/actuator/health");
              setEnv(container(c, "Deployment", "payment-service"), "SERVER_PORT", "8202");
              KObject.map(
                      KObject.map(container(c, "StatefulSet", "zk"), "livenessProbe"), "tcpSocket")
                  .put("port", "clients");
            });
    assertThat(PortsAndProbes.problems(m, Inputs.services(), Repo.ROOT.resolve("images")))
        .containsExactlyInAnyOrder(
            "StatefulSet/zk: livenessProbe asks port clients, which the container does not declare",
            "Deployment/order-service: container port http is 8080, order-service serves on 8101",
            "Deployment/lock-service: readinessProbe asks /actuator/health, not /actuator/health/readiness",
            "Deployment/payment-service: SERVER_PORT is '8202', payment-service's port is 8201");
  }

  // --- selectors --------------------------------------------------------------------------------

  @Test
  void theTutorialsAntiAffinityMistakeAndAServiceSelectingNothingAreCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              var anti =
                  KObject.map(
                      KObject.map(get(c, "StatefulSet", "zk").podSpec(), "affinity"),
                      "podAntiAffinity");
              var term =
                  KObject.map(
                      KObject.maps(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))
                          .getFirst(),
                      "podAffinityTerm");
              term.put(
                  "labelSelector",
                  new LinkedHashMap<>(
                      Map.of(
                          "matchExpressions",
                          List.of(
                              Map.of("key", "app", "operator", "In", "values", List.of("zk"))))));
              KObject.map(get(c, "Service", "gateway").spec(), "selector")
                  .put("app.kubernetes.io/name", "gateways");
            });
    assertThat(Selectors.problems(m))
        .containsExactlyInAnyOrder(
            "StatefulSet/zk: an anti-affinity term selects labels its pods do not carry",
            "Service/gateway: selects no pods");
  }

  // --- network edges ----------------------------------------------------------------------------

  @Test
  @SuppressWarnings("unchecked")
  void aMissingAndAnExtraNetworkEdgeAreCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              // payments can no longer reach their shards...
              var from =
                  (List<Object>)
                      KObject.maps(
                              get(c, "NetworkPolicy", "postgres-ingress").spec().get("ingress"))
                          .getFirst()
                          .get("from");
              from.removeIf(p -> p.toString().contains("payment-service"));
              // ...and anyone may reach the shard-router's admin API directly.
              ((List<Object>) get(c, "NetworkPolicy", "shard-router-ingress").spec().get("ingress"))
                  .add(
                      new LinkedHashMap<>(
                          Map.of("ports", List.of(Map.of("protocol", "TCP", "port", 8401)))));
            });
    assertThat(NetworkEdges.problems(m, Picture.edges(Inputs.services())))
        .containsExactlyInAnyOrder(
            "the picture's edge payment-service -> postgres:5432 is not allowed by the NetworkPolicies",
            "the NetworkPolicies allow outside -> shard-router:8401, which is not an edge of the picture");
  }

  @Test
  void withoutTheNetworkPoliciesEverythingIsAllowedAndTheCheckSaysSo() throws Exception {
    Manifests open = plant("local", c -> {});
    Manifests none =
        new Manifests(
            open.objects().stream().filter(o -> !o.kind().equals("NetworkPolicy")).toList());
    assertThat(NetworkEdges.problems(none, Picture.edges(Inputs.services())))
        .anyMatch(
            p ->
                p.equals(
                    "the NetworkPolicies allow outside -> postgres:5432, which is not an edge of the picture"))
        .anyMatch(
            p ->
                p.equals(
                    "the NetworkPolicies allow gateway -> postgres:5432, which is not an edge of the picture"));
  }

  @Test
  void withMonitoringPrometheusMayScrapeExactlyEachServicesOwnPort() throws Exception {
    KObject scrapes = get(Repo.rendered("production"), "NetworkPolicy", "prometheus-scrapes");
    var selected =
        Repo.rendered("production").workloads().stream()
            .filter(
                w ->
                    KObject.map(scrapes.spec(), "podSelector").isEmpty()
                        || dev.faultline.kubernetes.check.NetworkEdges.selects(scrapes, w))
            .map(KObject::name)
            .toList();
    assertThat(selected).containsExactlyInAnyOrderElementsOf(Inputs.SERVICES);
    var ports =
        KObject.maps(KObject.maps(scrapes.spec().get("ingress")).getFirst().get("ports")).stream()
            .map(p -> ((Number) p.get("port")).intValue())
            .toList();
    assertThat(ports)
        .containsExactlyInAnyOrderElementsOf(
            Inputs.services().values().stream().map(c -> c.port()).toList());
    assertThat(Repo.rendered("local").find("NetworkPolicy", "prometheus-scrapes")).isEmpty();
  }

  // --- disruption budgets -----------------------------------------------------------------------

  @Test
  void aBudgetThatBlocksDrainsOrLosesQuorumAndAMissingBudgetAreCaught() throws Exception {
    Manifests m =
        plant(
            "production",
            c -> {
              get(c, "PodDisruptionBudget", "zk").spec().put("maxUnavailable", 2);
              var shard = get(c, "PodDisruptionBudget", "pg-shard-0").spec();
              shard.remove("maxUnavailable");
              shard.put("minAvailable", "100%");
            });
    assertThat(Disruptions.problems(m.without("PodDisruptionBudget/order-service")))
        .containsExactlyInAnyOrder(
            "PodDisruptionBudget/zk: allows 2 of StatefulSet/zk's 3 pods down at once",
            "PodDisruptionBudget/pg-shard-0: allows no voluntary disruption of StatefulSet/pg-shard-0 (2 replicas)",
            "Deployment/order-service: 3 replicas and no PodDisruptionBudget");
  }

  // --- images -----------------------------------------------------------------------------------

  @Test
  void anImageNobodyBuildsAnOldTagOrOneComposeDoesNotRunAreCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              container(c, "Deployment", "gateway").put("image", "faultline/gateway:latest");
              container(c, "Deployment", "lock-service")
                  .put("image", "faultline/lock-svc:0.1.0-SNAPSHOT");
            });
    assertThat(Images.problems(m, Inputs.version(), Inputs.builtImages(), Inputs.composeImages()))
        .containsExactlyInAnyOrder(
            "Deployment/gateway: image faultline/gateway:latest is not this version's (0.1.0-SNAPSHOT)",
            "Deployment/gateway: runs faultline/gateway:latest but compose runs gateway as faultline/gateway:0.1.0-SNAPSHOT",
            "Deployment/lock-service: image faultline/lock-svc:0.1.0-SNAPSHOT is not one bin/suite images builds",
            "Deployment/lock-service: runs faultline/lock-svc:0.1.0-SNAPSHOT but compose runs lock-service as faultline/lock-service:0.1.0-SNAPSHOT");
  }

  // --- fault commands ---------------------------------------------------------------------------

  @Test
  @SuppressWarnings("unchecked")
  void chaosThatIsNotTheDrillsKillOrPodsTheDrillCannotFindAreCaught() throws Exception {
    Manifests m =
        plant(
            "everything",
            c -> {
              get(c, "PodChaos", "faultline-kill-zk").spec().put("gracePeriod", 30);
              var expression =
                  KObject.maps(
                          KObject.map(
                                  KObject.map(
                                      get(c, "Schedule", "faultline-kill-services").spec(),
                                      "podChaos"),
                                  "selector")
                              .get("expressionSelectors"))
                      .getFirst();
              ((List<Object>) expression.get("values")).remove("shard-router");
              get(c, "StatefulSet", "zk").spec().put("replicas", 2);
            });
    assertThat(FaultCommands.problems(m))
        .containsExactlyInAnyOrder(
            "the drill strikes pod zk-2 but StatefulSet/zk has 2 replicas",
            "PodChaos/faultline-kill-zk: gracePeriod 30, the drill deletes with --grace-period=0",
            "Schedule/faultline-kill-services: strikes [Deployment/lock-service, Deployment/order-service,"
                + " Deployment/payment-service], the drill's services kind strikes [Deployment/lock-service,"
                + " Deployment/order-service, Deployment/payment-service, Deployment/shard-router]");
  }

  @Test
  void aShardPodTheDrillWouldWaitForUnderAnotherSelectorIsCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              KObject shard = get(c, "StatefulSet", "pg-shard-1");
              KObject.map(KObject.map(shard.spec(), "template"), "metadata");
              KObject.map(KObject.map(KObject.map(shard.spec(), "template"), "metadata"), "labels")
                  .put("faultline.dev/shard", "one");
            });
    assertThat(FaultCommands.problems(m))
        .contains(
            "the drill waits for pg-shard-1-primary's replacement by"
                + " app.kubernetes.io/instance=faultline,app.kubernetes.io/name=postgres,faultline.dev/shard=1,"
                + " which selects [], not StatefulSet/pg-shard-1");
  }

  // --- hardening and secrets --------------------------------------------------------------------

  @Test
  void aWritableRootARootUserOrAMissingLimitAreCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              KObject.map(container(c, "Deployment", "gateway"), "securityContext")
                  .remove("readOnlyRootFilesystem");
              KObject.map(get(c, "StatefulSet", "pg-shard-0").podSpec(), "securityContext")
                  .put("runAsUser", 0);
              KObject.map(KObject.map(container(c, "StatefulSet", "zk"), "resources"), "limits")
                  .remove("memory");
            });
    assertThat(Hardening.problems(m))
        .containsExactlyInAnyOrder(
            "Deployment/gateway container gateway: the root file system is not read-only",
            "StatefulSet/pg-shard-0: the pod names no non-root runAsUser",
            "StatefulSet/zk container zookeeper: no memory in limits");
  }

  @Test
  void anotherServicesSecretOrAKeyFileNothingProvidesIsCaught() throws Exception {
    Manifests m =
        plant(
            "local",
            c -> {
              for (var volume :
                  KObject.maps(get(c, "Deployment", "payment-service").podSpec().get("volumes"))) {
                if (volume.containsKey("secret")) {
                  KObject.map(volume, "secret").put("secretName", "faultline-order-service");
                }
              }
              // compose's path: in a cluster the key is in a ConfigMap mounted at .../jwt
              addEnv(
                  container(c, "Deployment", "gateway"),
                  "FAULTLINE_AUTH_PUBLIC_KEY_FILE",
                  "/etc/faultline/jwt-public.pem");
            });
    assertThat(SecretsMounted.problems(m, Inputs.generatedSecrets()))
        .contains(
            "Deployment/payment-service: mounts Secret faultline-order-service, not its own (faultline-payment-service)",
            "Deployment/gateway: reads /etc/faultline/jwt-public.pem, which no mounted Secret or ConfigMap provides");
  }
}
