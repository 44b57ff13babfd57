package dev.faultline.router.api;

import dev.faultline.ring.SlotRing;
import dev.faultline.router.failover.Leadership;
import dev.faultline.router.resharding.Migration;
import dev.faultline.router.resharding.MigrationStore;
import dev.faultline.router.resharding.SlotMover;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import dev.faultline.shard.topology.TopologyStore;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.Rejections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Online resharding (see CONTRACT.md): register a shard and move slots to it, drain a shard, remove
 * a drained one, move chosen slots, follow the jobs. The changes are the leader's to make (its
 * latch guards every topology write); the jobs run in {@link SlotMover}.
 */
@RestController
@RequestMapping("/api/shards")
class ReshardingController {
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}");
  private static final int MAX_SHARD_ID = Short.MAX_VALUE;

  private final TopologyStore store;
  private final Leadership leadership;
  private final SlotMover mover;
  private final MigrationStore jobs;
  private final Clock clock = Clock.systemUTC();

  ReshardingController(
      TopologyStore store, Leadership leadership, SlotMover mover, MigrationStore jobs) {
    this.store = store;
    this.leadership = leadership;
    this.mover = mover;
    this.jobs = jobs;
  }

  record NewShard(
      @Nullable Integer id, @Nullable String primary, @Nullable List<String> replicas) {}

  record SlotMove(@Nullable List<Integer> slots) {}

  /**
   * Registers a shard (DEGRADED until the router has seen its replica in sync) and starts moving
   * {@code floor(slots/(n+1))} slots to it, taken from the fullest shards.
   */
  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  MigrationView add(@RequestBody NewShard body, Caller caller) throws Exception {
    requireAdmin(caller);
    if (body.id() == null || body.id() < 0 || body.id() > MAX_SHARD_ID) {
      throw new ShardRejections.InvalidReshard("'id' is required, 0 to " + MAX_SHARD_ID);
    }
    if (body.primary() == null || !ADDRESS.matcher(body.primary()).matches()) {
      throw new ShardRejections.InvalidReshard("'primary' is required, as host:port");
    }
    List<String> replicas = body.replicas() == null ? List.of() : body.replicas();
    if (replicas.size() > 8
        || replicas.stream().anyMatch(r -> r == null || !ADDRESS.matcher(r).matches())
        || replicas.contains(body.primary())
        || new TreeSet<>(replicas).size() != replicas.size()) {
      throw new ShardRejections.InvalidReshard(
          "'replicas' are up to 8 distinct host:port addresses, none the primary");
    }
    requireLeader();
    requireIdle();
    TopologyStore.Versioned current = store.read().orElseThrow();
    int id = body.id();
    if (current.topology().shard(id).isPresent()) {
      throw new ShardRejections.ShardExists(id);
    }
    List<String> taken =
        current.topology().shards().stream()
            .flatMap(
                s ->
                    java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(s.primary()), s.replicas().stream()))
            .toList();
    if (taken.contains(body.primary()) || replicas.stream().anyMatch(taken::contains)) {
      throw new ShardRejections.InvalidReshard("a node of another shard cannot join this one");
    }
    Topology registered =
        change(
            current,
            current
                .topology()
                .withShard(new ShardInfo(id, body.primary(), replicas, ShardState.DEGRADED)));
    SlotRing ring = registered.slotRing();
    SlotRing planned = ring.withShard(id);
    return view(
        mover.submit(
            "add-" + id + "-" + registered.epoch(),
            "add",
            mover.plan(registered, ring.differences(planned))));
  }

  /** Moves every slot of a shard to the others (the least-loaded first), so it can be removed. */
  @PostMapping("/{id}/drain")
  @ResponseStatus(HttpStatus.ACCEPTED)
  MigrationView drain(@PathVariable int id, Caller caller) throws Exception {
    requireAdmin(caller);
    requireLeader();
    requireIdle();
    Topology current = store.read().orElseThrow().topology();
    if (current.shard(id).isEmpty()) {
      throw new ShardRejections.ShardNotFound(id);
    }
    SlotRing ring = current.slotRing();
    if (!ring.slotCounts().containsKey(id)) {
      return view(mover.submit("drain-" + id + "-" + current.epoch(), "drain", List.of()));
    }
    if (ring.slotCounts().size() == 1) {
      throw new ShardRejections.InvalidReshard("shard " + id + " is the only one with slots");
    }
    return view(
        mover.submit(
            "drain-" + id + "-" + current.epoch(),
            "drain",
            mover.plan(current, ring.differences(ring.withoutShard(id)))));
  }

  /** Moves chosen slots to shard {@code id} (to relieve a hot shard, say). */
  @PostMapping("/{id}/slots")
  @ResponseStatus(HttpStatus.ACCEPTED)
  MigrationView moveSlots(@PathVariable int id, @RequestBody SlotMove body, Caller caller)
      throws Exception {
    requireAdmin(caller);
    Topology current = store.read().orElseThrow().topology();
    int size = current.ring().slots();
    if (body.slots() == null
        || body.slots().isEmpty()
        || body.slots().size() > size
        || body.slots().stream().anyMatch(s -> s == null || s < 0 || s >= size)) {
      throw new ShardRejections.InvalidReshard(
          "'slots' is a non-empty list of slot numbers, 0 to " + (size - 1));
    }
    requireLeader();
    requireIdle();
    if (current.shard(id).isEmpty()) {
      throw new ShardRejections.ShardNotFound(id);
    }
    List<Integer> slots = List.copyOf(new TreeSet<>(body.slots()));
    return view(
        mover.submit(
            "slots-" + id + "-" + current.epoch(),
            "slots",
            mover.plan(current, Map.of(id, slots))));
  }

  /** Removes a shard that serves no slot (drained, or registered and never used). */
  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void remove(@PathVariable int id, Caller caller) throws Exception {
    requireAdmin(caller);
    requireLeader();
    requireIdle();
    TopologyStore.Versioned current = store.read().orElseThrow();
    if (current.topology().shard(id).isEmpty()) {
      throw new ShardRejections.ShardNotFound(id);
    }
    int slots = current.topology().slotRing().slotCounts().getOrDefault(id, 0);
    if (slots > 0) {
      throw new ShardRejections.ShardNotDrained(id, slots);
    }
    change(current, current.topology().withoutShard(id));
  }

  @GetMapping("/migrations")
  List<MigrationView> migrations() throws Exception {
    return jobs.all().stream().map(this::view).toList();
  }

  record MigrationView(
      String id,
      String kind,
      Migration.Status state,
      Migration.@Nullable Phase phase,
      int batchesDone,
      int batches,
      int slotsDone,
      int slotsTotal,
      long rowsCopied,
      List<Long> cutoverPausesMillis,
      @Nullable Integer source,
      @Nullable Integer target,
      @Nullable Integer currentSlot,
      Instant started,
      Instant updated,
      @Nullable Instant finished,
      @Nullable Long etaSeconds,
      @Nullable String lastError) {}

  private MigrationView view(Migration m) {
    Migration.Batch batch = m.current();
    Duration eta = m.eta(clock.instant());
    return new MigrationView(
        m.id(),
        m.kind(),
        m.status(),
        m.status() == Migration.Status.RUNNING ? m.phase() : null,
        Math.min(m.batch(), m.batches().size()),
        m.batches().size(),
        m.slotsDone(),
        m.slotsTotal(),
        m.rowsCopied(),
        m.pausesMillis(),
        batch == null ? null : batch.source(),
        batch == null ? null : batch.target(),
        batch == null ? null : batch.slots().getFirst(),
        m.started(),
        m.updated(),
        m.finished(),
        eta == null ? null : eta.toSeconds(),
        m.lastError());
  }

  private Topology change(TopologyStore.Versioned current, Topology next) throws Exception {
    Optional<TopologyStore.Versioned> stored =
        store.compareAndSet(current, next, List.of(store.requireExists(leadership.guardPath())));
    return stored
        .orElseThrow(
            () ->
                new Rejections.Unavailable(
                    "topology-changed",
                    "Topology changed",
                    "the topology changed meanwhile; try again",
                    1))
        .topology();
  }

  private void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw new Rejections.Forbidden("shard administration needs admin");
    }
  }

  private void requireLeader() {
    if (!leadership.isLeader()) {
      throw new ShardRejections.NotLeader();
    }
  }

  private void requireIdle() throws Exception {
    Optional<Migration> running = mover.running();
    if (running.isPresent()) {
      throw new ShardRejections.ReshardingBusy(running.get().id());
    }
  }
}
