package dev.faultline.drill.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The drill's fault plan: rounds in which every chosen group is hit once, in an order shuffled by
 * the seed, each fault on a seeded instance of its group, with a seeded time down before it is
 * brought back and a calm spell after the suite is steady again. The same seed and kinds give the
 * same plan (how long each restart takes is the machine's business).
 */
public final class Schedule {
  /**
   * What a fault does to its instance: SIGKILL and restart, SIGSTOP and SIGCONT, or cut it off from
   * every other process and heal.
   */
  public enum Action {
    KILL,
    PAUSE,
    PARTITION
  }

  /** One planned fault. */
  public record Planned(Target target, Action action, Duration downFor, Duration calmAfter) {
    public Planned(Target target, Duration downFor, Duration calmAfter) {
      this(target, Action.KILL, downFor, calmAfter);
    }
  }

  /** The {@code --faults} word that adds pauses (SIGSTOP, then SIGCONT) to the plan. */
  public static final String PAUSE = "pause";

  /** The {@code --faults} word that adds partitions (cut off, then healed) to the plan. */
  public static final String PARTITION = "partition";

  private static boolean action(String word) {
    return word.equals(PAUSE) || word.equals(PARTITION);
  }

  private static final List<Target> TARGETS =
      List.of(
          new Target("order-service-1", "order-service", FaultKind.SERVICES),
          new Target("order-service-2", "order-service", FaultKind.SERVICES),
          new Target("payment-service-1", "payment-service", FaultKind.SERVICES),
          new Target("payment-service-2", "payment-service", FaultKind.SERVICES),
          new Target("lock-service-1", "lock-service", FaultKind.SERVICES),
          new Target("lock-service-2", "lock-service", FaultKind.SERVICES),
          new Target("shard-router-1", "shard-router", FaultKind.SERVICES),
          new Target("pg-shard-0-primary", "pg-primary", FaultKind.PG),
          new Target("pg-shard-1-primary", "pg-primary", FaultKind.PG),
          new Target("zk-1", "zookeeper", FaultKind.ZK),
          new Target("zk-2", "zookeeper", FaultKind.ZK),
          new Target("zk-3", "zookeeper", FaultKind.ZK),
          new Target("gateway-1", "gateway", FaultKind.GATEWAY),
          new Target("gateway-2", "gateway", FaultKind.GATEWAY));

  private Schedule() {}

  /** Every instance a drill may strike, by the local suite's names. */
  public static List<Target> targets() {
    return TARGETS;
  }

  /**
   * The instances of a deployment whose shards are {@code shardIds} (resharding adds and removes
   * them): each shard's primary in the place shards 0 and 1 have in {@link #targets()}, so a
   * deployment of those two plans exactly as before.
   */
  public static List<Target> targets(List<Integer> shardIds) {
    List<Target> all = new ArrayList<>();
    boolean placed = false;
    for (Target target : TARGETS) {
      if (target.kind() != FaultKind.PG) {
        all.add(target);
      } else if (!placed) {
        shardIds.stream()
            .sorted()
            .forEach(
                id ->
                    all.add(new Target("pg-shard-" + id + "-primary", "pg-primary", FaultKind.PG)));
        placed = true;
      }
    }
    return List.copyOf(all);
  }

  /**
   * The groups {@code --faults} names: kinds ({@code services}: every service group but the
   * gateway's; {@code pg}: the shards' primaries; {@code zk}: the ZooKeeper peers; {@code gateway}:
   * the gateways, where clients have a second to fail over to) or groups ({@code order-service},
   * {@code payment-service}, {@code lock-service}, {@code shard-router}), comma-separated. Throws
   * on a name it does not know.
   */
  public static Set<String> groups(String csv) {
    if (none(csv)) {
      return Set.of(); // load and checks alone: to see what a setting breaks without any fault
    }
    Set<String> groups = new java.util.LinkedHashSet<>();
    for (String part : csv.split(",")) {
      String name = part.trim().toLowerCase(java.util.Locale.ROOT);
      if (name.isEmpty() || action(name)) {
        continue;
      }
      List<String> matched =
          TARGETS.stream()
              .filter(t -> t.kind().name().equalsIgnoreCase(name) || t.group().equals(name))
              .map(Target::group)
              .distinct()
              .toList();
      if (matched.isEmpty()) {
        throw new IllegalArgumentException(
            "--faults: unknown '"
                + part.trim()
                + "' (kinds: services, pg, zk, gateway; groups: "
                + String.join(", ", TARGETS.stream().map(Target::group).distinct().toList())
                + ")");
      }
      groups.addAll(matched);
    }
    if (groups.isEmpty() && (pauses(csv) || partitions(csv))) {
      // Pauses or partitions alone: every group may be struck but the gateways, which only a
      // deployment of two allows.
      TARGETS.stream()
          .filter(t -> t.kind() != FaultKind.GATEWAY)
          .forEach(t -> groups.add(t.group()));
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(
          "--faults: name at least one of services, pg, zk, gateway, pause, partition (or none)");
    }
    return groups;
  }

  /**
   * {@code groups} as a deployment with {@code gateways} gateways can take them: a gateway is
   * struck only where its clients have another to go to.
   */
  public static Set<String> forGateways(Set<String> groups, int gateways) {
    if (gateways < 2 && groups.contains("gateway")) {
      throw new IllegalArgumentException(
          "--faults gateway: this target runs "
              + gateways
              + " gateway, so its clients would have nowhere to go (the local suite runs two)");
    }
    return groups;
  }

  /** The {@code --faults} word for a drill of load and checks only. */
  public static final String NONE = "none";

  /** Whether {@code --faults} is {@value #NONE}: no fault at all. */
  public static boolean none(String csv) {
    return csv.trim().equalsIgnoreCase(NONE);
  }

  /** Whether {@code --faults} asks for pauses. */
  public static boolean pauses(String csv) {
    return java.util.Arrays.stream(csv.split(","))
        .anyMatch(part -> part.trim().equalsIgnoreCase(PAUSE));
  }

  /** Whether {@code --faults} asks for partitions. */
  public static boolean partitions(String csv) {
    return java.util.Arrays.stream(csv.split(","))
        .anyMatch(part -> part.trim().equalsIgnoreCase(PARTITION));
  }

  /** Whether {@code --faults} asks for kills: unless it names nothing but pauses and partitions. */
  public static boolean kills(String csv) {
    return !none(csv)
        && java.util.Arrays.stream(csv.split(","))
            .map(part -> part.trim().toLowerCase(java.util.Locale.ROOT))
            .anyMatch(part -> !part.isEmpty() && !action(part));
  }

  public static List<Planned> plan(Set<String> chosen, long seed, int rounds) {
    return plan(chosen, seed, rounds, true, false, false);
  }

  public static List<Planned> plan(
      Set<String> chosen, long seed, int rounds, boolean kills, boolean pauses) {
    return plan(chosen, seed, rounds, kills, pauses, false);
  }

  /**
   * The plan: per round, each chosen group once in a seeded order, killed and brought back (if
   * {@code kills}) and paused past every lease TTL and session timeout, 8 to 14 s, then resumed (if
   * {@code pauses}), and cut off from every other process for as long, then healed (if {@code
   * partitions}). A plan without partitions is the same for a seed as before they existed, and a
   * kill-only plan as before pauses.
   */
  public static List<Planned> plan(
      Set<String> chosen,
      long seed,
      int rounds,
      boolean kills,
      boolean pauses,
      boolean partitions) {
    return plan(chosen, seed, rounds, kills, pauses, partitions, TARGETS);
  }

  /** {@link #plan(Set, long, int, boolean, boolean, boolean)} over these instances. */
  public static List<Planned> plan(
      Set<String> chosen,
      long seed,
      int rounds,
      boolean kills,
      boolean pauses,
      boolean partitions,
      List<Target> targets) {
    Random random = new Random(seed);
    List<String> groups =
        targets.stream().map(Target::group).distinct().filter(chosen::contains).toList();
    List<Planned> plan = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(groups);
      Collections.shuffle(order, random);
      for (String group : order) {
        List<Target> instances = targets.stream().filter(t -> t.group().equals(group)).toList();
        if (kills) {
          Target target = instances.get(random.nextInt(instances.size()));
          plan.add(
              new Planned(
                  target,
                  Duration.ofMillis(4_000 + random.nextInt(8_001)),
                  Duration.ofMillis(3_000 + random.nextInt(4_001))));
        }
        if (pauses) {
          plan.add(suspension(instances, Action.PAUSE, random));
        }
        if (partitions) {
          plan.add(suspension(instances, Action.PARTITION, random));
        }
      }
    }
    return plan;
  }

  /** A pause or partition of a seeded instance, 8 to 14 s: past every lease TTL and session. */
  private static Planned suspension(List<Target> instances, Action action, Random random) {
    Target target = instances.get(random.nextInt(instances.size()));
    return new Planned(
        target,
        action,
        Duration.ofMillis(8_000 + random.nextInt(6_001)),
        Duration.ofMillis(3_000 + random.nextInt(4_001)));
  }
}
