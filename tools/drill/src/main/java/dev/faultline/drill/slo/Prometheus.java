package dev.faultline.drill.slo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API of a Prometheus server: instant and range queries, and whether it is up. */
public final class Prometheus {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Prometheus(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** A series of a result: its labels and its (epoch ms, value) samples. */
  public record Series(Map<String, String> labels, List<double[]> samples) {}

  public boolean ready() {
    try {
      return http.send(
                  HttpRequest.newBuilder(base.resolve("/-/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public List<Series> query(String promql, Instant at) throws IOException, InterruptedException {
    return series(get("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(at)));
  }

  public List<Series> range(String promql, Instant from, Instant to, Duration step)
      throws IOException, InterruptedException {
    return series(
        get(
            "/api/v1/query_range?query="
                + enc(promql)
                + "&start="
                + seconds(from)
                + "&end="
                + seconds(to)
                + "&step="
                + step.toMillis() / 1000.0));
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asString(""))) {
      throw new IOException(
          "Prometheus answered " + response.statusCode() + ": " + body.path("error").asString(""));
    }
    return body.path("data");
  }

  private static List<Series> series(JsonNode data) {
    List<Series> all = new ArrayList<>();
    for (JsonNode result : data.path("result")) {
      Map<String, String> labels = new LinkedHashMap<>();
      result
          .path("metric")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
      List<double[]> samples = new ArrayList<>();
      if (result.has("value")) {
        samples.add(sample(result.get("value")));
      }
      for (JsonNode value : result.path("values")) {
        samples.add(sample(value));
      }
      all.add(new Series(labels, samples));
    }
    return all;
  }

  private static double[] sample(JsonNode pair) {
    return new double[] {pair.get(0).asDouble() * 1000, Double.parseDouble(pair.get(1).asString())};
  }

  private static String seconds(Instant at) {
    return Double.toString(at.toEpochMilli() / 1000.0);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
