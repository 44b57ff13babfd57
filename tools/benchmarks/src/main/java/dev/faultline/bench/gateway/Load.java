package dev.faultline.bench.gateway;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * HTTP load for the gateway benchmarks, from a single process: open (requests arrive at a rate,
 * Poisson, whatever the answers do, as users do; latency counts from when a request was due, so a
 * slow sender does not hide a slow server) or closed (a number of clients, each sending its next
 * request when its last is answered). Every answer is sorted into an {@link Outcome}; answers
 * within {@code bound} of the expected status are goodput.
 */
final class Load {
  /** What became of one request. */
  enum Outcome {
    /** The expected answer within the bound: goodput. */
    GOOD,
    /** The expected answer, but after the bound: work done for nothing the user wanted. */
    LATE,
    /** A fast 503 "overloaded" from the gateway: refused before it cost a service anything. */
    SHED,
    /** 429 from the gateway's rate limit. */
    RATE_LIMITED,
    /** Any other answer (a 5xx that is not a shed, an unexpected status). */
    ERROR,
    /** No answer before the client gave up ({@code timeout}), or the connection failed. */
    TIMEOUT
  }

  /** Counts per outcome, latencies of the admitted requests (all but shed), and who served. */
  record Tally(
      Map<Outcome, Long> outcomes,
      long[] admittedNanos,
      Map<String, Long> servedBy,
      double seconds,
      int maxInFlight) {

    long count(Outcome o) {
      return outcomes.getOrDefault(o, 0L);
    }

    long total() {
      return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    double rate(Outcome o) {
      return count(o) / seconds;
    }

    /** The {@code p}th percentile of admitted latency in ms (nearest rank), 0 if none. */
    double admittedMillis(double p) {
      if (admittedNanos.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p / 100 * admittedNanos.length) - 1;
      return admittedNanos[Math.clamp(i, 0, admittedNanos.length - 1)] / 1e6;
    }
  }

  private final HttpClient client;
  private final int goodStatus;
  private final Duration timeout;
  private final Duration bound;

  Load(int goodStatus, Duration timeout, Duration bound) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    this.goodStatus = goodStatus;
    this.timeout = timeout;
    this.bound = bound;
  }

  /** Requests arriving at {@code perSecond} (Poisson) for {@code duration}; waits for the last. */
  Tally open(Supplier<HttpRequest.Builder> requests, double perSecond, Duration duration)
      throws InterruptedException {
    Recorder recorder = new Recorder((int) (perSecond * duration.toSeconds() * 1.3) + 100);
    AtomicInteger inFlight = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long due = start;
    double meanGapNanos = 1e9 / perSecond;
    while (due < end) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long sentFor = due;
      recorder.track(inFlight.incrementAndGet());
      client
          .sendAsync(requests.get().timeout(timeout).build(), HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (answer, error) -> {
                recorder.record(sentFor, answer, error);
                inFlight.decrementAndGet();
              });
      // Exponential gaps: a Poisson stream, bursts and lulls as independent users make them.
      due += (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * meanGapNanos);
    }
    long drainUntil = System.nanoTime() + timeout.toNanos() + 2_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
      Thread.sleep(10);
    }
    return recorder.tally(duration.toNanos() / 1e9);
  }

  /** {@code clients} clients, each sending its next request when its last is answered. */
  Tally closed(Supplier<HttpRequest.Builder> requests, int clients, Duration duration)
      throws InterruptedException {
    Recorder recorder = new Recorder(1 << 20);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                try {
                  recorder.record(
                      sent,
                      client.send(
                          requests.get().timeout(timeout).build(),
                          HttpResponse.BodyHandlers.ofString()),
                      null);
                } catch (Exception e) {
                  recorder.record(sent, null, e);
                }
              }
              return null;
            });
      }
    }
    return recorder.tally((System.nanoTime() - start) / 1e9);
  }

  private final class Recorder {
    private final long[] admitted;
    private final AtomicInteger admittedCount = new AtomicInteger();
    private final Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    Recorder(int capacity) {
      admitted = new long[capacity];
      for (Outcome o : Outcome.values()) {
        outcomes.put(o, new AtomicLong());
      }
    }

    void track(int inFlight) {
      maxInFlight.accumulateAndGet(inFlight, Math::max);
    }

    void record(long sentFor, HttpResponse<String> answer, Throwable error) {
      long nanos = System.nanoTime() - sentFor;
      Outcome outcome;
      if (answer == null) {
        outcome = Outcome.TIMEOUT;
        if (!(unwrap(error) instanceof HttpTimeoutException)) {
          nanos = timeout.toNanos(); // a failed connection: count it as long as a timeout
        }
      } else if (answer.statusCode() == goodStatus) {
        outcome = nanos <= bound.toNanos() ? Outcome.GOOD : Outcome.LATE;
        answer.headers().firstValue("Served-By").ifPresent(s -> served(s));
      } else if (answer.statusCode() == 503 && answer.body().contains("overloaded")) {
        outcome = Outcome.SHED;
      } else if (answer.statusCode() == 429) {
        outcome = Outcome.RATE_LIMITED;
      } else {
        outcome = Outcome.ERROR;
      }
      outcomes.get(outcome).incrementAndGet();
      if (outcome != Outcome.SHED && outcome != Outcome.RATE_LIMITED) {
        int i = admittedCount.getAndIncrement();
        if (i < admitted.length) {
          admitted[i] = Math.min(nanos, timeout.toNanos());
        }
      }
    }

    private void served(String instance) {
      servedBy.computeIfAbsent(instance, k -> new AtomicLong()).incrementAndGet();
    }

    Tally tally(double seconds) {
      long[] sorted = Arrays.copyOf(admitted, Math.min(admittedCount.get(), admitted.length));
      Arrays.sort(sorted);
      Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
      outcomes.forEach((o, n) -> counts.put(o, n.get()));
      Map<String, Long> served = new TreeMap<>();
      servedBy.forEach((k, v) -> served.put(k, v.get()));
      return new Tally(counts, sorted, served, seconds, maxInFlight.get());
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t != null
        && t.getCause() != null
        && t.getCause() != t
        && !(t instanceof HttpTimeoutException)) {
      t = t.getCause();
    }
    return t;
  }
}
