package dev.faultline.drill.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drill's HTTP client: everything goes through a gateway, as a user's calls do. With several
 * gateways (the local suite runs two) it spreads requests over them round-robin and fails over as a
 * client behind a load balancer would: a refused connection never left, so the same request goes at
 * once to the next gateway; a gateway that refused or timed out is passed over for 2 s. A keyed
 * POST is retried with the same {@code Idempotency-Key} while its outcome is unknown (no answer, a
 * 5xx, or 409 "still in progress" with {@code Retry-After}), with capped, jittered backoff, until a
 * definite answer or the operation's deadline: the client behaviour the idempotency contract is
 * for.
 */
public final class Gateway {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration OPERATION_DEADLINE = Duration.ofSeconds(20);
  private static final int MAX_ATTEMPTS = 8;

  /** How long a gateway that failed a connection or an exchange is passed over. */
  static final Duration SHUNNED_FOR = Duration.ofSeconds(2);

  private final List<URI> bases;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLongArray shunnedUntil;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public Gateway(URI base) {
    this(List.of(base));
  }

  public Gateway(List<URI> bases) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no gateway to send to");
    }
    this.bases = List.copyOf(bases);
    this.shunnedUntil = new AtomicLongArray(bases.size());
  }

  /** The first gateway. */
  public URI base() {
    return bases.getFirst();
  }

  public List<URI> bases() {
    return bases;
  }

  /**
   * What came back: the status (0 when no answer came: refused, reset, timed out), the body as JSON
   * when it was JSON, how many attempts it took, and the instance that served the last one (the
   * gateway's {@code Served-By}, empty when none did).
   */
  public record Answer(
      int status, @Nullable JsonNode body, int attempts, String error, String servedBy) {
    public Answer(int status, @Nullable JsonNode body, int attempts, String error) {
      this(status, body, attempts, error, "");
    }

    public boolean answered() {
      return status > 0;
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** No answer, or a server error: the request may or may not have taken effect. */
    public boolean unknown() {
      return status == 0 || status >= 500;
    }

    public String text(String field) {
      JsonNode node = body == null ? null : body.get(field);
      return node == null || node.isNull() ? "" : node.asString();
    }

    /** The problem type's last segment ({@code lock-held}), or the HTTP status. */
    public String reason() {
      if (status == 0) {
        return error;
      }
      String type = text("type");
      return type.isEmpty()
          ? "http " + status
          : type.substring(Math.max(type.lastIndexOf('/'), type.lastIndexOf(':')) + 1);
    }
  }

  public Answer get(String path, String token) {
    return exchange(base -> request(base, path, token).GET().build(), 1).answer();
  }

  /** One POST, not retried (reads, and operations whose retry the caller decides). */
  public Answer post(String path, String token, String json) {
    return exchange(base -> postRequest(base, path, token, null, json), 1).answer();
  }

  /**
   * A POST retried while its outcome is unknown. {@code key} (an Idempotency-Key) is sent on every
   * attempt when not null; without one, only requests the server makes safe to repeat (a lock's
   * acquire by the same holder, a renew, a release) may come here.
   */
  public Answer retried(String path, String token, @Nullable String key, String json) {
    long deadline = System.nanoTime() + OPERATION_DEADLINE.toNanos();
    Attempt last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      last = exchange(base -> postRequest(base, path, token, key, json), attempt);
      boolean inProgress = last.status() == 409 && last.retryAfter();
      if (!(last.unknown() || inProgress) || System.nanoTime() > deadline) {
        return last.answer();
      }
      sleep(backoff(attempt));
    }
    return last.answer();
  }

  private static HttpRequest postRequest(
      URI base, String path, String token, @Nullable String key, String json) {
    HttpRequest.Builder builder =
        request(base, path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      builder.header("Idempotency-Key", key);
    }
    return builder.build();
  }

  private static HttpRequest.Builder request(URI base, String path, String token) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(ATTEMPT_TIMEOUT)
        .header("Authorization", "Bearer " + token);
  }

  /** One exchange; {@code retryAfter} remembers whether the server asked to come back. */
  private record Attempt(Answer answer, boolean retryAfter) {
    int status() {
      return answer.status();
    }

    boolean unknown() {
      return answer.unknown();
    }
  }

  /**
   * One attempt: to the next gateway in turn that is not passed over (or, when all are, the next
   * one), and on a refused or timed-out connection, which never carried the request, to each other
   * gateway once.
   */
  private Attempt exchange(Function<URI, HttpRequest> request, int attempt) {
    int first = Math.floorMod(next.getAndIncrement(), bases.size());
    long now = System.nanoTime();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < bases.size(); i++) {
      int index = (first + i) % bases.size();
      if (shunnedUntil.get(index) - now <= 0) {
        order.add(index);
      }
    }
    for (int i = 0; i < bases.size(); i++) {
      int index = (first + i) % bases.size();
      if (!order.contains(index)) {
        order.add(index);
      }
    }
    Attempt last = null;
    for (int index : order) {
      try {
        return send(request.apply(bases.get(index)), attempt);
      } catch (ConnectException | HttpConnectTimeoutException neverSent) {
        shun(index);
        last = failed(neverSent, attempt);
      } catch (IOException e) {
        shun(index);
        return failed(e, attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Attempt(new Answer(0, null, attempt, "interrupted"), false);
      }
    }
    return last;
  }

  private void shun(int index) {
    if (bases.size() > 1) {
      shunnedUntil.set(index, System.nanoTime() + SHUNNED_FOR.toNanos());
    }
  }

  private static Attempt failed(IOException e, int attempt) {
    return new Attempt(new Answer(0, null, attempt, e.getClass().getSimpleName()), false);
  }

  private Attempt send(HttpRequest request, int attempt) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = null;
    Optional<String> type = response.headers().firstValue("Content-Type");
    if (type.isPresent() && type.get().contains("json") && !response.body().isEmpty()) {
      try {
        body = JSON.readTree(response.body());
      } catch (RuntimeException notJson) {
        body = null;
      }
    }
    return new Attempt(
        new Answer(
            response.statusCode(),
            body,
            attempt,
            "",
            response.headers().firstValue("Served-By").orElse("")),
        response.headers().firstValue("Retry-After").isPresent());
  }

  private static Duration backoff(int attempt) {
    long cap = Math.min(2_000, 200L << Math.min(attempt - 1, 4));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
