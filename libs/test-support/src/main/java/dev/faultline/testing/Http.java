package dev.faultline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.core.env.Environment;

/** A small HTTP client for integration tests that call a service over a real socket. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public static Http localhost(int port) {
    return new Http("http://127.0.0.1:" + port);
  }

  /** The application a {@code @SpringBootTest} started on a random port. */
  public static Http localServer(Environment environment) {
    return localhost(environment.getRequiredProperty("local.server.port", Integer.class));
  }

  public HttpResponse<String> get(String path, String token) {
    return send(builder(path, token).GET());
  }

  public HttpResponse<String> post(String path, String token, String json) {
    return send(
        builder(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  /** A POST with extra headers ({@code Idempotency-Key}, {@code If-Match}). */
  public HttpResponse<String> post(
      String path, String token, String json, java.util.Map<String, String> headers) {
    HttpRequest.Builder request =
        builder(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request);
  }

  /** A POST under an {@code Idempotency-Key}, as every POST to orders and payments needs. */
  public HttpResponse<String> keyed(String path, String token, String key, String json) {
    return post(path, token, json, java.util.Map.of("Idempotency-Key", key));
  }

  /**
   * Opens an account for {@code owner} on this payment service (keyed, with the owner's token) and
   * returns its ID; fails unless it was created.
   */
  public String openAccount(String owner, String currency, long balanceCents) {
    HttpResponse<String> opened =
        keyed(
            "/api/accounts",
            TestTokens.customer(owner),
            java.util.UUID.randomUUID().toString(),
            Json.object(
                "ownerId", owner, "currency", currency, "initialBalanceCents", balanceCents));
    if (opened.statusCode() != 201) {
      throw new AssertionError(
          "opening an account answered " + opened.statusCode() + ": " + opened.body());
    }
    return Json.read(opened.body()).get("id").asString();
  }

  public HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
