package dev.faultline.lock.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acquires locks from the lock service over HTTP. Each {@link LockHandle} renews itself in the
 * background and calls back when its lease may be gone.
 *
 * <pre>{@code
 * try (LockHandle lock = locks.acquire("account-42", "payment-service-1", ttl, wait, lost -> stop())
 *     .orElseThrow()) {
 *   fence.update(db, "accounts", "id", "42", lock.fencingToken(), "balance = balance - 10", Map.of());
 * }
 * }</pre>
 */
public final class LockClient implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Supplier<List<URI>> candidates;
  private final Supplier<String> bearerToken;
  private final HttpClient http;
  private final ScheduledExecutorService renewals;
  private final boolean ownsRenewals;

  /** {@code base} is the gateway or a lock-service instance, e.g. {@code http://localhost:8080}. */
  public LockClient(URI base, Supplier<String> bearerToken) {
    this(() -> List.of(base), bearerToken, ownScheduler(), true);
  }

  /**
   * With every live instance to try, in the order to try them (say, discovery's list shuffled; a
   * lease is not tied to the instance that granted it, so renewals may go anywhere): a call whose
   * connection is refused or cannot be opened never reached the service, so the next instance gets
   * it, whatever the call. That is what hides a killed instance that discovery still lists for the
   * seconds until its session expires.
   */
  public static LockClient overInstances(
      Supplier<List<URI>> instances, Supplier<String> bearerToken) {
    return new LockClient(instances, bearerToken, ownScheduler(), true);
  }

  private static ScheduledExecutorService ownScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("lock-renewals").factory());
  }

  /** With the caller's scheduler for renewals (tests use one they can pause). */
  public LockClient(URI base, Supplier<String> bearerToken, ScheduledExecutorService renewals) {
    this(() -> List.of(base), bearerToken, renewals, false);
  }

  private LockClient(
      Supplier<List<URI>> candidates,
      Supplier<String> bearerToken,
      ScheduledExecutorService renewals,
      boolean ownsRenewals) {
    this.candidates = candidates;
    this.bearerToken = bearerToken;
    this.renewals = renewals;
    this.ownsRenewals = ownsRenewals;
    // HTTP/1.1 keep-alive: the services speak no h2c, and an upgrade attempt per request costs.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /**
   * Acquires {@code name} for {@code holder}, waiting up to {@code wait} (FIFO). Empty when the
   * lock stayed held. {@code onLost} runs once if the lease is lost while the handle is open.
   */
  public Optional<LockHandle> acquire(
      String name, String holder, Duration ttl, Duration wait, Consumer<LockHandle> onLost) {
    long sentAt = System.nanoTime();
    HttpResponse<String> response =
        post(
            name,
            "acquire",
            Map.of("holder", holder, "ttlMs", ttl.toMillis(), "waitMs", wait.toMillis()),
            wait.plusSeconds(10));
    if (response.statusCode() == 409) {
      return Optional.empty();
    }
    JsonNode lease = body(response, 200);
    return Optional.of(
        new LockHandle(
            this,
            name,
            holder,
            lease.get("leaseId").asString(),
            lease.get("fencingToken").asLong(),
            ttl,
            sentAt,
            renewals,
            onLost));
  }

  /** Renews; true when renewed, false when the lease is gone (410). */
  boolean renew(String name, String leaseId) {
    HttpResponse<String> response =
        post(name, "renew", Map.of("leaseId", leaseId), Duration.ofSeconds(5));
    if (response.statusCode() == 410) {
      return false;
    }
    body(response, 200);
    return true;
  }

  void release(String name, String leaseId) {
    HttpResponse<String> response =
        post(name, "release", Map.of("leaseId", leaseId), Duration.ofSeconds(5));
    if (response.statusCode() != 204 && response.statusCode() != 410) {
      throw new LockClientException("release of " + name + " answered " + response.statusCode());
    }
  }

  private HttpResponse<String> post(
      String name, String action, Map<String, Object> body, Duration timeout) {
    String json = JSON.writeValueAsString(body);
    List<URI> instances = candidates.get();
    IOException unreachable = null;
    for (URI instance : instances) {
      HttpRequest request =
          HttpRequest.newBuilder(instance.resolve("/api/locks/" + name + "/" + action))
              .timeout(timeout)
              .header("Authorization", "Bearer " + bearerToken.get())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build();
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException | HttpConnectTimeoutException notSent) {
        // Refused or never opened: the request did not leave, so the next instance may have it.
        unreachable = notSent;
      } catch (IOException e) {
        throw new LockClientException(action + " of " + name + " failed: " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockClientException(action + " of " + name + " interrupted", e);
      }
    }
    throw new LockClientException(
        action
            + " of "
            + name
            + ": no lock-service instance could be reached ("
            + instances.size()
            + " tried"
            + (unreachable == null ? "" : ", last: " + describe(unreachable))
            + ")",
        unreachable);
  }

  /**
   * An I/O failure in words. The JDK's HTTP client throws a {@link ConnectException} whose message
   * is {@code null} when a connection is refused; the type and the causes say what happened.
   */
  static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (!text.isEmpty()) {
        text.append(" <- ");
      }
      text.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }

  private static JsonNode body(HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      throw new LockClientException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    if (ownsRenewals) {
      renewals.shutdownNow();
    }
  }
}
