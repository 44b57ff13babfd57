package dev.faultline.monitoring.slo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@code monitoring/slo.yaml}: the window every SLO is measured over, and the SLOs. */
public record SloFile(Duration window, List<Slo> slos) {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  public SloFile {
    slos = List.copyOf(slos);
    Set<String> names = new HashSet<>();
    for (Slo slo : slos) {
      if (!names.add(slo.name())) {
        throw new IllegalArgumentException("two SLOs are named " + slo.name());
      }
    }
  }

  /** The repository's file: {@code monitoring/slo.yaml} under {@code repo}. */
  public static SloFile of(Path repo) throws IOException {
    return parse(Files.readString(repo.resolve("monitoring/slo.yaml")));
  }

  public Slo slo(String name) {
    return slos.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no SLO named " + name));
  }

  static SloFile parse(String yaml) {
    Map<String, Object> root =
        map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), "the file");
    Duration window = duration(string(root, "window"));
    List<Slo> slos = new ArrayList<>();
    for (Object item : list(root.get("slos"), "slos")) {
      Map<String, Object> slo = map(item, "an SLO");
      String name = string(slo, "name");
      Slo.Sli sli;
      if (slo.containsKey("events") == slo.containsKey("latency")) {
        throw new IllegalArgumentException(name + ": needs one of 'events' or 'latency'");
      } else if (slo.containsKey("events")) {
        Map<String, Object> e = map(slo.get("events"), name + ".events");
        sli = new Slo.Events(string(e, "metric"), labels(e, "select"), labels(e, "bad"));
      } else {
        Map<String, Object> l = map(slo.get("latency"), name + ".latency");
        sli =
            new Slo.Latency(
                string(l, "histogram"), labels(l, "select"), duration(string(l, "within")));
      }
      Object objective = slo.get("objective");
      if (!(objective instanceof Number number)) {
        throw new IllegalArgumentException(name + ": objective must be a number");
      }
      slos.add(
          new Slo(
              name, string(slo, "journey"), number.doubleValue(), string(slo, "description"), sli));
    }
    return new SloFile(window, slos);
  }

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}. */
  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration like 250ms, 5m or 30d: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static Map<String, String> labels(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    Map<String, String> labels = new LinkedHashMap<>();
    if (value == null) {
      return labels;
    }
    map(value, key).forEach((k, v) -> labels.put(k, String.valueOf(v)));
    return labels;
  }

  private static String string(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value == null || String.valueOf(value).isBlank()) {
      throw new IllegalArgumentException("missing '" + key + "' in " + map);
    }
    return String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(what + " must be a mapping");
    }
    return (Map<String, Object>) map;
  }

  private static List<?> list(Object value, String what) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(what + " must be a list");
    }
    return list;
  }
}
