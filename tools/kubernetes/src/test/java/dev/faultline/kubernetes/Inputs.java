package dev.faultline.kubernetes;

import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.entrypoints.postgres.PostgresNodeSettings;
import dev.faultline.entrypoints.zookeeper.ZooKeeperEntrypoint;
import dev.faultline.kubernetes.check.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** What the cross-checks compare the manifests with, read from the repository and its build. */
final class Inputs {
  static final List<String> SERVICES =
      List.of("gateway", "lock-service", "shard-router", "order-service", "payment-service");

  private static Map<String, ServiceConfig> services;

  private Inputs() {}

  static synchronized Map<String, ServiceConfig> services() throws IOException {
    if (services == null) {
      Map<String, ServiceConfig> loaded = new LinkedHashMap<>();
      for (String service : SERVICES) {
        loaded.put(service, ServiceConfig.load(Repo.ROOT, service));
      }
      services = loaded;
    }
    return services;
  }

  /** Per image, what its program reads: Spring's binding, or the entrypoints' own keys. */
  static Map<String, Predicate<String>> readers() throws IOException {
    // Every image's start script reads JAVA_OPTS (images/*/Dockerfile, entrypoint.sh).
    Predicate<String> javaOpts = "JAVA_OPTS"::equals;
    Map<String, Predicate<String>> readers = new LinkedHashMap<>();
    for (var service : services().entrySet()) {
      readers.put(service.getKey(), javaOpts.or(service.getValue()::reads));
    }
    readers.put("postgres", javaOpts.or(PostgresNodeSettings.KEYS::contains));
    readers.put("zookeeper", javaOpts.or(ZooKeeperEntrypoint.KEYS::contains));
    return readers;
  }

  /** {@code faultline/NAME} for every image bin/suite images builds (bin/lib/images.sh). */
  static Set<String> builtImages() throws IOException {
    String script = Files.readString(Repo.ROOT.resolve("bin/lib/images.sh"));
    Set<String> built = new TreeSet<>();
    for (String array : List.of("SERVICES", "SUITE_IMAGES")) {
      Matcher m = Pattern.compile("(?m)^" + array + "=\\(([^)]*)\\)").matcher(script);
      if (!m.find()) {
        throw new IllegalStateException("bin/lib/images.sh has no " + array);
      }
      for (String word : m.group(1).trim().split("\\s+")) {
        if (!word.startsWith("\"$")) {
          built.add("faultline/" + word);
        }
      }
    }
    return built;
  }

  /** Per component, the image docker-compose.yml runs for it, its version default resolved. */
  @SuppressWarnings("unchecked")
  static Map<String, String> composeImages() throws IOException {
    Map<String, Object> compose =
        new Yaml().load(Files.readString(Repo.ROOT.resolve("docker-compose.yml")));
    Map<String, String> images = new LinkedHashMap<>();
    for (var service : ((Map<String, Map<String, Object>>) compose.get("services")).entrySet()) {
      String name = service.getKey();
      String component =
          name.startsWith("zk-")
              ? "zookeeper"
              : name.startsWith("pg-") ? "postgres" : name.replaceAll("-\\d+$", "");
      String image =
          String.valueOf(service.getValue().get("image"))
              .replaceAll("\\$\\{FAULTLINE_VERSION:-([^}]+)}", "$1");
      images.put(component, image);
    }
    return images;
  }

  static String version() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>faultline</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Repo.ROOT.resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no project version in pom.xml");
    }
    return m.group(1);
  }

  /** What bin/suite k8s-secrets prints, made in a scratch folder. */
  static Manifests generatedSecrets() throws IOException {
    Path dir = Files.createTempDirectory("k8s-secrets");
    return Manifests.parse(new ClusterSecrets(dir).manifests());
  }
}
