package dev.faultline.bench.ring;

import dev.faultline.ring.KeyHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Balance and movement over a million keys, for each placement and shard count: what the sharding
 * issue's targets are stated in. Pure counting, no timing.
 */
final class RingFigures {
  static final int KEYS = 1_000_000;

  /** One row: the busiest shard over the mean, and key movement relative to the ideal. */
  record Row(
      String placement,
      int shards,
      double busiestOverMean,
      double addMovedOverIdeal,
      boolean addOnlyToNew,
      String removeMoved) {}

  static long[] keyHashes() {
    long[] hashes = new long[KEYS];
    for (int i = 0; i < KEYS; i++) {
      hashes[i] = KeyHash.of("customer-" + i);
    }
    return hashes;
  }

  static List<Row> compute(long[] hashes, int[] shardCounts, String[] placements) {
    List<Row> rows = new ArrayList<>();
    for (int n : shardCounts) {
      for (String name : placements) {
        Placement placement = Placement.of(name, n);
        int[] before = assign(placement, hashes);
        long[] perShard = new long[n];
        for (int shard : before) {
          perShard[shard]++;
        }
        long busiest = 0;
        for (long c : perShard) {
          busiest = Math.max(busiest, c);
        }
        double mean = hashes.length / (double) n;

        int[] grown = assign(placement.grown(), hashes);
        long moved = 0;
        boolean onlyToNew = true;
        for (int i = 0; i < hashes.length; i++) {
          if (grown[i] != before[i]) {
            moved++;
            onlyToNew &= grown[i] == n;
          }
        }
        double ideal = hashes.length / (double) (n + 1);

        // Remove a shard in the middle (for jump: only the last is possible).
        int victim = n / 2;
        Placement shrunk = placement.shrunk(victim);
        String removeMoved;
        if (shrunk == null) {
          removeMoved = "only the last shard can go";
        } else {
          int[] after = assign(shrunk, hashes);
          long movedOthers = 0;
          long movedVictim = 0;
          for (int i = 0; i < hashes.length; i++) {
            if (after[i] != before[i]) {
              if (before[i] == victim) {
                movedVictim++;
              } else {
                movedOthers++;
              }
            }
          }
          removeMoved =
              movedOthers == 0
                  ? "only its keys (" + movedVictim + ")"
                  : movedOthers + " other keys moved";
        }
        rows.add(
            new Row(placement.name(), n, busiest / mean, moved / ideal, onlyToNew, removeMoved));
      }
    }
    return rows;
  }

  private static int[] assign(Placement placement, long[] hashes) {
    int[] owners = new int[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      owners[i] = placement.shardOfHash(hashes[i]);
    }
    return owners;
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "| %-13s | %6s | %14s | %17s | %12s | %-28s |%n",
            "placement",
            "shards",
            "busiest/mean",
            "add: moved/ideal",
            "add: to new",
            "remove a middle shard"));
    out.append("|---|---:|---:|---:|:---:|---|\n");
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %-13s | %6d | %14.4f | %17.4f | %12s | %-28s |%n",
              r.placement(),
              r.shards(),
              r.busiestOverMean(),
              r.addMovedOverIdeal(),
              r.addOnlyToNew() ? "yes" : "NO",
              r.removeMoved()));
    }
    return out.toString();
  }
}
