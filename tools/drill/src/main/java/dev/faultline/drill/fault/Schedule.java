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
  /** One planned fault. */
  public record Planned(Target target, Duration downFor, Duration calmAfter) {}

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
          new Target("zk-3", "zookeeper", FaultKind.ZK));

  private Schedule() {}

  /** Every instance a drill may strike, by the local suite's names. */
  public static List<Target> targets() {
    return TARGETS;
  }

  /**
   * The groups {@code --faults} names: kinds ({@code services}: every service group but the
   * gateway's; {@code pg}: the shards' primaries; {@code zk}: the ZooKeeper peers) or groups
   * ({@code order-service}, {@code payment-service}, {@code lock-service}, {@code shard-router}),
   * comma-separated. Throws on a name it does not know.
   */
  public static Set<String> groups(String csv) {
    Set<String> groups = new java.util.LinkedHashSet<>();
    for (String part : csv.split(",")) {
      String name = part.trim().toLowerCase(java.util.Locale.ROOT);
      if (name.isEmpty()) {
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
                + "' (kinds: services, pg, zk; groups: "
                + String.join(", ", TARGETS.stream().map(Target::group).distinct().toList())
                + ")");
      }
      groups.addAll(matched);
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("--faults: name at least one of services, pg, zk");
    }
    return groups;
  }

  public static List<Planned> plan(Set<String> chosen, long seed, int rounds) {
    Random random = new Random(seed);
    List<String> groups =
        TARGETS.stream().map(Target::group).distinct().filter(chosen::contains).toList();
    List<Planned> plan = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(groups);
      Collections.shuffle(order, random);
      for (String group : order) {
        List<Target> instances = TARGETS.stream().filter(t -> t.group().equals(group)).toList();
        Target target = instances.get(random.nextInt(instances.size()));
        plan.add(
            new Planned(
                target,
                Duration.ofMillis(4_000 + random.nextInt(8_001)),
                Duration.ofMillis(3_000 + random.nextInt(4_001))));
      }
    }
    return plan;
  }
}
