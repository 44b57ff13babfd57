package dev.faultline.kubernetes.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.Yaml;

/**
 * What one of the suite's Spring Boot services reads, from its own build: every property its jar's
 * configuration metadata declares (Spring Boot's, Spring Cloud's, the suite's own {@code
 * ConfigurationProperties}), every key its {@code application.yml} and the shared defaults set, and
 * every placeholder they use ({@code ${faultline.instance-id:...}}); and its configured port,
 * probes and (for the gateway) routes.
 *
 * @param properties property names as Spring's relaxed binding compares them with environment
 *     variables: upper case, without dots, dashes and underscores ({@code
 *     spring.cloud.zookeeper.connect-string} and {@code SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING} are
 *     both {@code SPRINGCLOUDZOOKEEPERCONNECTSTRING})
 * @param indexed the same, for properties that are lists or maps: a variable extends them with an
 *     index ({@code FAULTLINE_SHARDS_NODES_0_ID})
 */
public record ServiceConfig(
    String service,
    int port,
    boolean probesEnabled,
    Set<String> properties,
    Set<String> indexed,
    Map<String, String> routes) {

  /** The service's module in {@code repo}: its built jar and its sources' configuration. */
  public static ServiceConfig load(Path repo, String service) throws IOException {
    Path jar = repo.resolve(service).resolve("target").resolve(service + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: the services are built before this check");
    }
    Set<String> properties = new TreeSet<>();
    Set<String> indexed = new TreeSet<>();
    readMetadata(jar, properties, indexed);
    Map<String, Object> yaml =
        flatten(yaml(repo.resolve(service + "/src/main/resources/application.yml")));
    Properties defaults = new Properties();
    try (InputStream in =
        Files.newInputStream(
            repo.resolve(
                "libs/service-web/src/main/resources/faultline-service-defaults.properties"))) {
      defaults.load(in);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    defaults.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
    yaml.forEach((k, v) -> settings.put(k, String.valueOf(v)));
    for (var setting : settings.entrySet()) {
      properties.add(environmentName(setting.getKey()));
      Matcher placeholder = PLACEHOLDER.matcher(setting.getValue());
      while (placeholder.find()) {
        properties.add(environmentName(placeholder.group(1)));
      }
    }
    String port = settings.get("server.port");
    return new ServiceConfig(
        service,
        port == null ? 8080 : Integer.parseInt(port),
        "true".equals(settings.get("management.endpoint.health.probes.enabled")),
        properties,
        indexed,
        routes(yaml));
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9.\\-\\[\\]]+)");

  /** True when Spring binds environment variable {@code key} to something this service reads. */
  public boolean reads(String key) {
    String squashed = environmentName(key);
    if (properties.contains(squashed)) {
      return true;
    }
    for (String prefix : indexed) {
      if (squashed.length() > prefix.length()
          && squashed.startsWith(prefix)
          && Character.isDigit(squashed.charAt(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  /** A property or variable name as binding compares them: upper case, no separators. */
  public static String environmentName(String name) {
    return name.replaceAll("[\\[\\]._-]", "").toUpperCase(Locale.ROOT);
  }

  /** Route id → the service it sends to ({@code lb://order-service}). */
  @SuppressWarnings("unchecked")
  private static Map<String, String> routes(Map<String, Object> flat) {
    Map<String, String> routes = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      String prefix = "spring.cloud.gateway.server.webflux.routes[" + i + "]";
      Object id = flat.get(prefix + ".id");
      if (id == null) {
        return routes;
      }
      String uri = String.valueOf(flat.get(prefix + ".uri"));
      routes.put(String.valueOf(id), uri.replaceFirst("^lb://", ""));
    }
  }

  private static void readMetadata(Path jar, Set<String> properties, Set<String> indexed)
      throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (isMetadata(entry.getName())) {
          try (InputStream in = zip.getInputStream(entry)) {
            addMetadata(in.readAllBytes(), properties, indexed);
          }
        } else if (entry.getName().startsWith("BOOT-INF/lib/")
            && entry.getName().endsWith(".jar")) {
          try (ZipInputStream nested = new ZipInputStream(zip.getInputStream(entry))) {
            ZipEntry inner;
            while ((inner = nested.getNextEntry()) != null) {
              if (isMetadata(inner.getName())) {
                addMetadata(nested.readAllBytes(), properties, indexed);
              }
            }
          }
        }
      }
    }
  }

  private static boolean isMetadata(String name) {
    return name.endsWith("META-INF/spring-configuration-metadata.json")
        || name.endsWith("META-INF/additional-spring-configuration-metadata.json");
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private static void addMetadata(byte[] json, Set<String> properties, Set<String> indexed) {
    var root = JSON.readTree(json);
    for (String section : List.of("properties", "groups")) {
      for (var item : root.path(section)) {
        String name = item.path("name").asString();
        String type = item.path("type").asString("");
        properties.add(environmentName(name));
        if (type.startsWith("java.util.List")
            || type.startsWith("java.util.Map")
            || type.startsWith("java.util.Set")
            || type.endsWith("[]")) {
          indexed.add(environmentName(name));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    Object loaded = new Yaml().load(Files.readString(file));
    return loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /**
   * {@code a: {b: [ {c: 1} ]}} → {@code a.b[0].c = 1}; quoted map keys kept as Spring keeps them.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> flatten(Map<String, Object> tree) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", tree, flat);
    return flat;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, @Nullable Object value, Map<String, Object> flat) {
    if (value instanceof Map<?, ?> map) {
      for (var entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        flatten(prefix.isEmpty() ? key : prefix + "." + key, entry.getValue(), flat);
      }
    } else if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list);
      for (int i = 0; i < items.size(); i++) {
        flatten(prefix + "[" + i + "]", items.get(i), flat);
      }
    } else {
      flat.put(prefix, value == null ? "" : value);
    }
  }
}
