package dev.faultline.gateway.admission;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import dev.faultline.gateway.balancing.policy.Candidate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Which instance of a service takes a request, and whether any may. The route's policy chooses
 * among the instances under their concurrency limits, and the chosen one's slot is the request's
 * until its attempt ends. When every instance is full the request waits only while the queue is
 * short, and only briefly ({@link QueuePolicy}); past that it is refused at once with {@link
 * OverloadedException} (a 503 with {@code Retry-After}): spillover, not a surge queue. A slot given
 * back goes straight to the first waiter that may use its instance, so a waiter never loses its
 * turn to a newcomer.
 *
 * <p>One lock per service guards its counts and its queue: a choice reads every instance's count
 * and must take the slot it chose before anyone else can, and the work under the lock is a few
 * comparisons.
 */
public final class Admission {
  /** An instance as discovery lists it: its registration's ID and its name for metrics. */
  public record Instance(String id, String name) {}

  private final Supplier<ConcurrencyLimit> limits;
  private final QueuePolicy queue;
  private final LongSupplier nanoTime;
  private final MeterRegistry meters;
  private final Rejections rejections;
  private final Map<String, ServiceState> services = new ConcurrentHashMap<>();

  public Admission(
      Supplier<ConcurrencyLimit> limits,
      QueuePolicy queue,
      LongSupplier nanoTime,
      MeterRegistry meters,
      Rejections rejections) {
    this.limits = limits;
    this.queue = queue;
    this.nanoTime = nanoTime;
    this.meters = meters;
    this.rejections = rejections;
  }

  /**
   * A slot on one of {@code listed} (never empty) chosen by {@code policy} for {@code key}, held in
   * {@code slots}; or, when all are full and the queue is too, an {@link OverloadedException}.
   */
  public Mono<Slot> admit(
      String service,
      List<Instance> listed,
      BalancingPolicy policy,
      @Nullable String key,
      Slots slots) {
    ServiceState state = state(service);
    Waiter waiter;
    synchronized (state) {
      try {
        Optional<Slot> slot = state.tryTake(listed, policy, key);
        if (slot.isPresent()) {
          slots.hold(slot.get());
          return Mono.just(slot.get());
        }
        if (state.queueFull()) {
          rejections.count(service, RejectionCause.CONCURRENCY_LIMIT);
          return Mono.error(new OverloadedException(service, RejectionCause.CONCURRENCY_LIMIT));
        }
        waiter = new Waiter(listed.stream().map(Instance::id).collect(Collectors.toSet()), slots);
        state.waiters.add(waiter);
      } finally {
        state.updateCapacity();
      }
    }
    return Mono.<Slot>create(
            sink -> {
              sink.onCancel(() -> state.leave(waiter));
              waiter.attach(sink);
            })
        .timeout(
            queue.maxWait(),
            Mono.defer(
                () -> {
                  rejections.count(service, RejectionCause.QUEUE_TIMEOUT);
                  return Mono.error(new OverloadedException(service, RejectionCause.QUEUE_TIMEOUT));
                }));
  }

  /** Forgets instances discovery no longer lists; their in-flight requests still give back. */
  public void retain(String service, Collection<String> listedIds) {
    ServiceState state = services.get(service);
    if (state != null) {
      synchronized (state) {
        state.instances.keySet().retainAll(listedIds);
        state.updateCapacity();
      }
    }
  }

  /**
   * The door ({@link EarlyShedding}): lets a request for {@code service} on towards the balancer
   * while fewer are on their way or in flight there than the service can hold (every instance's
   * limit, plus the queue), and counts it until {@link #leave}; false when it is full, and the
   * request should be refused at once. A service not seen yet is always let in.
   */
  public boolean enter(String service) {
    ServiceState state = services.get(service);
    if (state == null) {
      return true;
    }
    while (true) {
      int now = state.atDoor.get();
      if (now >= state.capacity) {
        return false;
      }
      if (state.atDoor.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Counts a request let in without asking (one behind another on its connection). */
  public void enterAnyway(String service) {
    ServiceState state = services.get(service);
    if (state != null) {
      state.atDoor.incrementAndGet();
    }
  }

  /** A request let in by {@link #enter} or {@link #enterAnyway} has been answered or dropped. */
  public void leave(String service) {
    ServiceState state = services.get(service);
    if (state != null) {
      state.atDoor.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  /** What the door lets through at most: every instance's limit plus the queue. */
  public int capacity(String service) {
    ServiceState state = services.get(service);
    return state == null ? Integer.MAX_VALUE : state.capacity;
  }

  /**
   * Requests in flight to the instance named {@code name} (0 if unknown): for tests and metrics.
   */
  public int inFlight(String service, String name) {
    ServiceState state = services.get(service);
    InstanceLoad load = state == null ? null : state.byName.get(name);
    return load == null ? 0 : load.inFlight;
  }

  private ServiceState state(String service) {
    return services.computeIfAbsent(service, ServiceState::new);
  }

  /** One instance's count and limit, as this gateway sees them. */
  static final class InstanceLoad {
    private final String id;
    private final String name;
    private final ConcurrencyLimit limit;
    private final Counter choices;
    private volatile int inFlight; // written under the service's lock

    InstanceLoad(String id, String name, ConcurrencyLimit limit, Counter choices) {
      this.id = id;
      this.name = name;
      this.limit = limit;
      this.choices = choices;
    }

    String id() {
      return id;
    }

    ConcurrencyLimit limit() {
      return limit;
    }
  }

  /** A request waiting for a slot; its fields are guarded by the service's lock. */
  private static final class Waiter {
    final Set<String> acceptable;
    final Slots slots;
    @Nullable MonoSink<Slot> sink;
    @Nullable Slot granted;

    Waiter(Set<String> acceptable, Slots slots) {
      this.acceptable = acceptable;
      this.slots = slots;
    }

    void attach(MonoSink<Slot> sink) {
      Slot ready;
      synchronized (this) {
        this.sink = sink;
        ready = granted;
      }
      if (ready != null) {
        sink.success(ready); // granted before the subscription arrived
      }
    }

    void grant(Slot slot) {
      slots.hold(slot); // held by the exchange from now on, whatever becomes of the sink
      MonoSink<Slot> ready;
      synchronized (this) {
        granted = slot;
        ready = sink;
      }
      if (ready != null) {
        ready.success(slot);
      }
    }
  }

  /** One service's instances and queue. */
  final class ServiceState {
    private final String service;
    private final Map<String, InstanceLoad> instances = new HashMap<>();
    private final Map<String, InstanceLoad> byName = new ConcurrentHashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    // Requests let in at the door and not answered yet, and how many may be (written under this
    // state's lock, read without it at the door).
    private final AtomicInteger atDoor = new AtomicInteger();
    private volatile int capacity = Integer.MAX_VALUE;

    ServiceState(String service) {
      this.service = service;
      rejections.register(service);
      Gauge.builder("gateway.admission.queued", this, s -> s.queued())
          .description("Requests waiting for a slot on any instance of the service")
          .tag("service", service)
          .register(meters);
      Gauge.builder("gateway.admission.at.door", atDoor, AtomicInteger::get)
          .description("Requests let in at the door on their way to the service or in flight")
          .tag("service", service)
          .register(meters);
    }

    long nanoTime() {
      return nanoTime.getAsLong();
    }

    private synchronized int queued() {
      return waiters.size();
    }

    /** Under the lock: no room left to wait in. */
    boolean queueFull() {
      return queue.maxWait().isZero() || waiters.size() >= queue.maxQueued();
    }

    /** Under the lock, after every change: what the door may let through. */
    void updateCapacity() {
      if (instances.isEmpty()) {
        capacity = Integer.MAX_VALUE;
        return;
      }
      long sum = queue.maxWait().isZero() ? 0 : queue.maxQueued();
      for (InstanceLoad load : instances.values()) {
        sum += load.limit.current();
      }
      capacity = (int) Math.min(Integer.MAX_VALUE, sum);
    }

    /** Under the lock: the policy's choice among the open instances, its slot taken. */
    Optional<Slot> tryTake(List<Instance> listed, BalancingPolicy policy, @Nullable String key) {
      List<Candidate> candidates = new ArrayList<>(listed.size());
      Map<String, InstanceLoad> loads = new HashMap<>();
      for (Instance instance : listed) {
        InstanceLoad load = instances.computeIfAbsent(instance.id(), id -> newLoad(instance));
        loads.put(instance.id(), load);
        candidates.add(new Candidate(instance.id(), load.inFlight, load.limit.current()));
      }
      return policy
          .choose(candidates, key)
          .map(
              chosen -> {
                InstanceLoad load = loads.get(chosen.id());
                int before = load.inFlight;
                load.inFlight = before + 1;
                load.choices.increment();
                return new Slot(this, load, nanoTime(), before + 1);
              });
    }

    private InstanceLoad newLoad(Instance instance) {
      String name = instance.name();
      InstanceLoad load =
          new InstanceLoad(
              instance.id(),
              name,
              limits.get(),
              Counter.builder("gateway.balancer.choices")
                  .description("Requests the balancer sent to each instance")
                  .tag("service", service)
                  .tag("upstream", name)
                  .register(meters));
      // A restarted instance registers anew under the same name: the gauges follow the newest.
      if (byName.put(name, load) == null) {
        Gauge.builder("gateway.upstream.in.flight", byName, m -> inFlightOf(m.get(name)))
            .description("Requests this gateway has in flight to the instance")
            .tag("service", service)
            .tag("upstream", name)
            .register(meters);
        Gauge.builder("gateway.upstream.limit", byName, m -> limitOf(m.get(name)))
            .description("The instance's concurrency limit at this gateway")
            .tag("service", service)
            .tag("upstream", name)
            .register(meters);
      }
      return load;
    }

    /** A slot came back: to the first waiter that may use its instance, else to the pool. */
    void giveBack(InstanceLoad load) {
      Waiter next = null;
      Slot handed = null;
      synchronized (this) {
        if (load.inFlight - 1 < load.limit.current()) {
          for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
            Waiter w = i.next();
            if (w.acceptable.contains(load.id)) {
              i.remove();
              next = w;
              load.choices.increment();
              handed = new Slot(this, load, nanoTime(), load.inFlight);
              break;
            }
          }
        }
        if (handed == null) {
          load.inFlight--;
        }
        updateCapacity();
      }
      if (next != null) {
        next.grant(handed);
      }
    }

    /** A waiter whose request was cancelled or timed out leaves the queue. */
    void leave(Waiter waiter) {
      synchronized (this) {
        waiters.remove(waiter);
        updateCapacity();
      }
    }
  }

  private static double inFlightOf(@Nullable InstanceLoad load) {
    return load == null ? 0 : load.inFlight;
  }

  private static double limitOf(@Nullable InstanceLoad load) {
    return load == null ? 0 : load.limit.current();
  }
}
