package dev.faultline.gateway.balancing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Discovery's instance list, as it last answered, refreshed in the background: a request never
 * waits for ZooKeeper once the service has been listed, and when ZooKeeper cannot answer (no
 * quorum, this gateway's session lost) routing goes on with the list it last had. Discovery is the
 * wrong place to be consistent rather than available: every instance in that list is still running
 * and still answers, or the retries and outlier ejection find out that it does not.
 *
 * <p>Without this, a request whose cached list had expired asked ZooKeeper on the Netty event loop
 * that carries it, through Curator's retries: with the ensemble down, that thread (and every
 * request on it, to any service) stalled for seconds, and then the request was refused as if no
 * instance existed. An empty answer from a healthy ZooKeeper still empties the list: that is every
 * instance gone, not ZooKeeper failing.
 */
final class LastKnownInstanceListSupplier extends DelegatingServiceInstanceListSupplier {
  private static final Logger log = LoggerFactory.getLogger(LastKnownInstanceListSupplier.class);

  /** How old the list may get before a request starts a refresh (the load balancer cache's TTL). */
  private final long refreshAfterNanos;

  /** How long a request waits for the first list of a service before it is refused. */
  private final Duration firstTimeout;

  private final AtomicReference<@Nullable Known> known = new AtomicReference<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  private record Known(List<ServiceInstance> instances, long atNanos) {}

  LastKnownInstanceListSupplier(
      ServiceInstanceListSupplier delegate, Duration refreshAfter, Duration firstTimeout) {
    super(delegate);
    this.refreshAfterNanos = refreshAfter.toNanos();
    this.firstTimeout = firstTimeout;
  }

  @Override
  public Flux<List<ServiceInstance>> get() {
    Known last = known.get();
    if (last == null || last.instances().isEmpty()) {
      // Nobody to route to (yet): this request waits for discovery, off the event loop, so that
      // an instance that just registered is found by the first request that needs it.
      return fetch().timeout(firstTimeout).flux();
    }
    if (System.nanoTime() - last.atNanos() > refreshAfterNanos
        && refreshing.compareAndSet(false, true)) {
      // One refresh at a time, and no timeout on it: a discovery call blocks its thread until
      // Curator gives up, so the next one starts only after this one has really ended.
      fetch().doFinally(signal -> refreshing.set(false)).subscribe(list -> {}, e -> {});
    }
    return Flux.just(last.instances());
  }

  /** Asks discovery once; keeps and returns its answer, or the last known list if it fails. */
  private Mono<List<ServiceInstance>> fetch() {
    return delegate
        .get()
        .next()
        .subscribeOn(Schedulers.boundedElastic())
        .doOnNext(list -> known.set(new Known(List.copyOf(list), System.nanoTime())))
        .onErrorResume(
            e -> {
              Known last = known.get();
              if (last == null) {
                return Mono.error(e);
              }
              log.warn(
                  "discovery of {} failed ({}); routing on with the {} instances it last listed",
                  getServiceId(),
                  e.toString(),
                  last.instances().size());
              return Mono.just(last.instances());
            });
  }
}
