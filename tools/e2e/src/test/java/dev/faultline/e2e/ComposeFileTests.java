package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, read as compose reads it (anchors and merge keys resolved), against what the
 * project promises of it: bin/suite's topology and names, images of this version, healthchecked
 * dependencies, nothing published but the gateway, Prometheus and Grafana on loopback, and each
 * container given its own secrets and no one else's. The end-to-end test runs it for real; this one
 * needs no Docker.
 */
class ComposeFileTests {
  private static final Path REPO = Path.of(System.getProperty("suite.repo", "../.."));

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws Exception {
    return (Map<String, Object>)
        new Yaml().load(Files.readString(REPO.resolve("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws Exception {
    return (Map<String, Map<String, Object>>) compose().get("services");
  }

  @Test
  void theStackHasBinSuitesTopologyAndNames() throws Exception {
    Set<String> expected = new TreeSet<>(SuiteMembers.SERVICES);
    expected.addAll(SuiteMembers.DATA);
    expected.addAll(List.of("secrets", "prometheus", "grafana"));
    assertThat(services().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyImageOfTheSuiteIsThisVersionOfItsOwn() throws Exception {
    String version = projectVersion();
    for (var service : services().entrySet()) {
      String image = (String) service.getValue().get("image");
      if (service.getKey().equals("grafana")) {
        assertThat(image).startsWith("grafana/grafana:"); // only a registry has it: a profile
        assertThat(service.getValue().get("profiles")).isEqualTo(List.of("monitoring"));
        continue;
      }
      assertThat(image)
          .as(service.getKey())
          .matches("faultline/[a-z-]+:\\$\\{FAULTLINE_VERSION:-" + Pattern.quote(version) + "}");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void onlyTheGatewayPrometheusAndGrafanaArePublishedAndOnlyOnLoopback() throws Exception {
    List<String> published = new ArrayList<>();
    for (var service : services().entrySet()) {
      for (Object port : (List<Object>) service.getValue().getOrDefault("ports", List.of())) {
        assertThat(port.toString()).as(service.getKey()).startsWith("127.0.0.1:");
        published.add(service.getKey());
      }
    }
    assertThat(published).containsExactlyInAnyOrder("gateway-1", "prometheus", "grafana");
    assertThat(services().get("gateway-1").get("ports").toString())
        .contains("${GATEWAY_PORT:-8080}:8080");
    assertThat(services().get("prometheus").get("ports").toString())
        .contains("${PROMETHEUS_PORT:-9090}:9090");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyLongRunningContainerRestartsHasAMemoryLimitAndStartsAfterHealthyDependencies()
      throws Exception {
    for (String name : SuiteMembers.ALL) {
      Map<String, Object> service = services().get(name);
      assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
      assertThat(service.get("mem_limit")).as(name).isNotNull();
      Map<String, Map<String, String>> dependsOn =
          (Map<String, Map<String, String>>) service.get("depends_on");
      if (name.startsWith("zk-")) {
        assertThat(dependsOn).as(name).isNull();
        continue;
      }
      assertThat(dependsOn).as(name).containsKey("secrets");
      dependsOn.forEach(
          (dependency, condition) ->
              assertThat(condition.get("condition"))
                  .as(name + " on " + dependency)
                  .isEqualTo(
                      dependency.equals("secrets")
                          ? "service_completed_successfully"
                          : "service_healthy"));
    }
    // The order of bin/suite up: data first, then the router and locks, payments, orders, gateway.
    assertThat(dependencies("pg-shard-0-replica")).contains("pg-shard-0-primary", "zk-1");
    assertThat(dependencies("payment-service-1")).contains("lock-service-1", "pg-shard-1-replica");
    assertThat(dependencies("order-service-2")).contains("payment-service-1", "payment-service-2");
    assertThat(dependencies("gateway-1")).contains("order-service-1", "shard-router-1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachContainerMountsItsOwnSecretsOnlyAndDataLivesInNamedVolumes() throws Exception {
    Map<String, Object> volumes = (Map<String, Object>) compose().get("volumes");
    for (var service : services().entrySet()) {
      String name = service.getKey();
      List<String> mounts = (List<String>) service.getValue().getOrDefault("volumes", List.of());
      for (String mount : mounts) {
        String source = mount.substring(0, mount.indexOf(':'));
        if (!source.startsWith("./")) {
          assertThat(volumes).as(name + " mounts " + source).containsKey(source);
        }
        if (source.endsWith("-secrets") || source.equals("signing-key")) {
          String own =
              name.startsWith("pg-")
                  ? "postgres-secrets"
                  : name.replaceAll("-\\d+$", "") + "-secrets";
          if (!name.equals("secrets")) {
            assertThat(source).as(name + "'s secrets").isEqualTo(own);
            assertThat(mount).as(name + " reads its secrets").endsWith(":ro");
          }
        }
      }
      if (SuiteMembers.DATA.contains(name)) {
        assertThat(mounts).as(name).anyMatch(m -> m.startsWith(name + "-data:"));
      }
    }
    // The signing key: the secrets job's alone (tokens are minted in its image).
    long signers =
        services().values().stream()
            .filter(s -> s.getOrDefault("volumes", List.of()).toString().contains("signing-key:"))
            .count();
    assertThat(signers).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theServicesGetBinSuitesConfigurationKeys() throws Exception {
    for (String name : SuiteMembers.SERVICES) {
      Map<String, Object> env = (Map<String, Object>) services().get(name).get("environment");
      assertThat(env)
          .as(name)
          .containsEntry("FAULTLINE_INSTANCE_ID", name)
          .containsEntry("SPRING_CLOUD_ZOOKEEPER_DISCOVERY_INSTANCE_HOST", name)
          .containsKeys(
              "SERVER_PORT",
              "SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING",
              "FAULTLINE_AUTH_PUBLIC_KEY_FILE");
      if (name.startsWith("order-") || name.startsWith("payment-") || name.startsWith("shard-")) {
        assertThat(env)
            .containsEntry("FAULTLINE_SHARDS_NODES_0_PRIMARY", "pg-shard-0-primary:5432")
            .containsEntry("FAULTLINE_SHARDS_NODES_1_REPLICA", "pg-shard-1-replica:5432");
      }
    }
    // The contract's ports, as bin/suite gives them.
    assertThat(port("gateway-1")).isEqualTo("8080");
    assertThat(port("order-service-2")).isEqualTo("8102");
    assertThat(port("payment-service-1")).isEqualTo("8201");
    assertThat(port("lock-service-2")).isEqualTo("8302");
    assertThat(port("shard-router-1")).isEqualTo("8401");
  }

  @SuppressWarnings("unchecked")
  private static String port(String service) throws Exception {
    return String.valueOf(
        ((Map<String, Object>) services().get(service).get("environment")).get("SERVER_PORT"));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> dependencies(String service) throws Exception {
    return ((Map<String, Object>) services().get(service).get("depends_on")).keySet();
  }

  private static String projectVersion() throws Exception {
    String pom = Files.readString(REPO.resolve("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>faultline</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
