package dev.faultline.drill.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drill's HTTP client: everything goes through the gateway, as a user's calls do. A keyed POST
 * is retried with the same {@code Idempotency-Key} while its outcome is unknown (no answer, a 5xx,
 * or 409 "still in progress" with {@code Retry-After}), with capped, jittered backoff, until a
 * definite answer or the operation's deadline: the client behaviour the idempotency contract is
 * for.
 */
public final class Gateway {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration OPERATION_DEADLINE = Duration.ofSeconds(20);
  private static final int MAX_ATTEMPTS = 8;

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public Gateway(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /**
   * What came back: the status (0 when no answer came: refused, reset, timed out), the body as JSON
   * when it was JSON, and how many attempts it took.
   */
  public record Answer(int status, @Nullable JsonNode body, int attempts, String error) {
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
    return once(request(path, token).GET().build(), 1);
  }

  /** One POST, not retried (reads, and operations whose retry the caller decides). */
  public Answer post(String path, String token, String json) {
    return once(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        1);
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
      HttpRequest.Builder builder =
          request(path, token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json));
      if (key != null) {
        builder.header("Idempotency-Key", key);
      }
      last = exchange(builder.build(), attempt);
      boolean inProgress = last.status() == 409 && last.retryAfter();
      if (!(last.unknown() || inProgress) || System.nanoTime() > deadline) {
        return last.answer();
      }
      sleep(backoff(attempt));
    }
    return last.answer();
  }

  private HttpRequest.Builder request(String path, String token) {
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

  private Attempt exchange(HttpRequest request, int attempt) {
    try {
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
          new Answer(response.statusCode(), body, attempt, ""),
          response.headers().firstValue("Retry-After").isPresent());
    } catch (IOException e) {
      return new Attempt(new Answer(0, null, attempt, e.getClass().getSimpleName()), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(new Answer(0, null, attempt, "interrupted"), false);
    }
  }

  private Answer once(HttpRequest request, int attempt) {
    return exchange(request, attempt).answer();
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
