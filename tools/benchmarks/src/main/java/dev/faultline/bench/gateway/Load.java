package dev.faultline.bench.gateway;

import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * HTTP load for the gateway benchmarks, from a single process on Reactor Netty's event loop (the
 * JDK's client cost three times the CPU per request, and the load generator shares the machine with
 * what it measures): open (requests arrive at a rate, Poisson, whatever the answers do, as users
 * do; latency counts from when a request was due, so a slow sender does not hide a slow server) or
 * closed (a number of clients, each sending its next request when its last is answered). Every
 * answer is sorted into an {@link Outcome}; answers within {@code bound} of the expected status are
 * goodput. A client gives up after {@code timeout} and closes its connection, as a user's would.
 */
final class Load implements AutoCloseable {
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

  /** One request: a path on the gateway and the bearer token to send. */
  record Call(String path, String token) {}

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

  private record Answer(int status, String body, @Nullable String servedBy) {}

  private final LoopResources loops = LoopResources.create("bench-load", 1, true);
  private final ConnectionProvider connections =
      ConnectionProvider.builder("bench-load")
          .maxConnections(30_000)
          .pendingAcquireMaxCount(-1)
          .maxIdleTime(Duration.ofSeconds(20))
          .build();
  private final HttpClient client;
  private final int goodStatus;
  private final Duration timeout;
  private final Duration bound;

  Load(int goodStatus, Duration timeout, Duration bound) {
    // A request the client gave up on may still fail afterwards (its connection, closed by the
    // give-up, reports it): that error has been counted already, as a timeout.
    reactor.core.publisher.Hooks.onErrorDropped(error -> {});
    this.client =
        HttpClient.create(connections)
            .runOn(loops)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000);
    this.goodStatus = goodStatus;
    this.timeout = timeout;
    this.bound = bound;
  }

  private Mono<Answer> send(URI base, Call call) {
    return client
        .headers(h -> h.set("Authorization", "Bearer " + call.token()))
        .get()
        .uri(base.resolve(call.path()))
        .responseSingle(
            (response, body) ->
                body.asString()
                    .defaultIfEmpty("")
                    .map(
                        text ->
                            new Answer(
                                response.status().code(),
                                text,
                                response.responseHeaders().get("Served-By"))))
        .timeout(timeout);
  }

  /** Requests arriving at {@code perSecond} (Poisson) for {@code duration}; waits for the last. */
  Tally open(URI base, Supplier<Call> calls, double perSecond, Duration duration)
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
      send(base, calls.get())
          .doFinally(signal -> inFlight.decrementAndGet())
          .subscribe(
              answer -> recorder.record(sentFor, answer, null),
              error -> recorder.record(sentFor, null, error));
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
  Tally closed(URI base, Supplier<Call> calls, int clients, Duration duration) {
    Recorder recorder = new Recorder(1 << 21);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Flux.range(0, clients)
        .flatMap(
            c ->
                Mono.defer(
                        () -> {
                          long sent = System.nanoTime();
                          return send(base, calls.get())
                              .doOnNext(answer -> recorder.record(sent, answer, null))
                              .onErrorResume(
                                  error -> {
                                    recorder.record(sent, null, error);
                                    return Mono.empty();
                                  })
                              .then();
                        })
                    .repeat(() -> System.nanoTime() < end),
            clients)
        .blockLast(duration.plus(timeout).plusSeconds(5));
    return recorder.tally((System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() {
    connections.dispose();
    loops.dispose();
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

    void record(long sentFor, @Nullable Answer answer, @Nullable Throwable error) {
      long nanos = System.nanoTime() - sentFor;
      Outcome outcome;
      if (answer == null) {
        outcome = Outcome.TIMEOUT;
        if (!(error instanceof TimeoutException)) {
          nanos = timeout.toNanos(); // a failed connection: count it as long as a timeout
        }
      } else if (answer.status() == goodStatus) {
        outcome = nanos <= bound.toNanos() ? Outcome.GOOD : Outcome.LATE;
        if (answer.servedBy() != null) {
          servedBy.computeIfAbsent(answer.servedBy(), k -> new AtomicLong()).incrementAndGet();
        }
      } else if (answer.status() == 503 && answer.body().contains("overloaded")) {
        outcome = Outcome.SHED;
      } else if (answer.status() == 429) {
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
}
