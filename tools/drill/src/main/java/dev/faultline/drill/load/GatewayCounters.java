package dev.faultline.drill.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateways' own traffic counters, read from each gateway's {@code /actuator/prometheus} (public
 * on the gateway's port, so the same for processes, containers and pods): what the gateways refused
 * by cause ({@code gateway_rejections_total}) and the retries they sent ({@code
 * gateway_retries_total}), summed over services. Two readings give what happened between them; a
 * gateway restarted meanwhile starts its counters again from zero, which {@link #since} allows for.
 */
public record GatewayCounters(Map<String, Double> series) {
  private static final Pattern SAMPLE =
      Pattern.compile("^(gateway_rejections_total|gateway_retries_total)\\{([^}]*)} (\\S+)$");
  private static final Pattern CAUSE = Pattern.compile("cause=\"([^\"]*)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Reads every gateway; one that does not answer contributes nothing. */
  public static GatewayCounters read(List<URI> gateways) {
    Map<String, Double> series = new HashMap<>();
    for (URI gateway : gateways) {
      try {
        HttpResponse<String> metrics =
            HTTP.send(
                HttpRequest.newBuilder(gateway.resolve("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() == 200) {
          parse(gateway.toString(), metrics.body(), series);
        }
      } catch (java.io.IOException e) {
        // a gateway down now (killed by the drill, say): its counters are read next time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new GatewayCounters(Map.copyOf(series));
  }

  static void parse(String gateway, String text, Map<String, Double> into) {
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        into.put(
            gateway + " " + m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
      }
    }
  }

  /**
   * What was counted since {@code before}: refusals by cause, and {@code retries}. A series lower
   * than before was reset by a restart: all of it is new.
   */
  public Map<String, Long> since(GatewayCounters before) {
    Map<String, Long> counts = new TreeMap<>();
    series.forEach(
        (key, now) -> {
          double was = before.series().getOrDefault(key, 0.0);
          long delta = Math.round(now >= was ? now - was : now);
          String name;
          if (key.contains(" gateway_retries_total{")) {
            name = "retries";
          } else {
            Matcher cause = CAUSE.matcher(key);
            name = cause.find() ? cause.group(1) : "unknown";
          }
          counts.merge(name, delta, Long::sum);
        });
    return counts;
  }
}
