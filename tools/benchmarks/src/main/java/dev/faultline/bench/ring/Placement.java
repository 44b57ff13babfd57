package dev.faultline.bench.ring;

import com.google.common.hash.Hashing;
import dev.faultline.ring.KeyHash;
import dev.faultline.ring.SlotRing;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** The three ways of placing keys on {@code n} shards that the figures compare. */
sealed interface Placement {

  String name();

  int shardOfHash(long hash);

  /** The same placement with one more shard (id {@code n}); {@code null} when not defined. */
  Placement grown();

  /** The same placement without shard {@code id}, or {@code null} if it cannot remove it alone. */
  Placement shrunk(int id);

  static Placement of(String name, int shards) {
    return switch (name) {
      case "slots" -> new Slots(SlotRing.balanced(IntStream.range(0, shards).boxed().toList()));
      case "jump" -> new Jump(shards);
      case "vnodes160" -> Vnodes.of(IntStream.range(0, shards).boxed().toList(), 160);
      default -> throw new IllegalArgumentException("unknown placement " + name);
    };
  }

  /** Ours: fixed hash slots, balanced minimal-movement table. */
  record Slots(SlotRing ring) implements Placement {
    public String name() {
      return "slots (ours)";
    }

    public int shardOfHash(long hash) {
      return ring.shardOfHash(hash);
    }

    public Placement grown() {
      return new Slots(ring.withShard(ring.shardIds().size()));
    }

    public Placement shrunk(int id) {
      return new Slots(ring.withoutShard(id));
    }
  }

  /**
   * Guava's jump consistent hash (Lamping and Veach): perfect balance and minimal movement, but
   * buckets are numbered 0..n-1, so only the last one can be removed without re-numbering.
   */
  record Jump(int shards) implements Placement {
    public String name() {
      return "jump (Guava)";
    }

    public int shardOfHash(long hash) {
      return Hashing.consistentHash(hash, shards);
    }

    public Placement grown() {
      return new Jump(shards + 1);
    }

    public Placement shrunk(int id) {
      return id == shards - 1 ? new Jump(shards - 1) : null;
    }
  }

  /** The classic ring: 160 virtual nodes per shard at hashed positions, next clockwise owns. */
  record Vnodes(List<Integer> shards, int perShard, long[] points, int[] owners)
      implements Placement {
    static Vnodes of(List<Integer> shards, int perShard) {
      int total = shards.size() * perShard;
      long[][] pairs = new long[total][];
      int i = 0;
      for (int shard : shards) {
        for (int v = 0; v < perShard; v++) {
          pairs[i++] = new long[] {KeyHash.of("shard-" + shard + "-vnode-" + v), shard};
        }
      }
      Arrays.sort(pairs, (a, b) -> Long.compareUnsigned(a[0], b[0]));
      long[] points = new long[total];
      int[] owners = new int[total];
      for (int j = 0; j < total; j++) {
        points[j] = pairs[j][0];
        owners[j] = (int) pairs[j][1];
      }
      return new Vnodes(List.copyOf(shards), perShard, points, owners);
    }

    public String name() {
      return "vnodes x160";
    }

    public int shardOfHash(long hash) {
      // First point at or after the hash, wrapping: an unsigned binary search.
      int low = 0;
      int high = points.length;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (Long.compareUnsigned(points[mid], hash) < 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return owners[low == points.length ? 0 : low];
    }

    public Placement grown() {
      return of(
          IntStream.concat(shards.stream().mapToInt(Integer::intValue), IntStream.of(shards.size()))
              .boxed()
              .toList(),
          perShard);
    }

    public Placement shrunk(int id) {
      return of(shards.stream().filter(s -> s != id).toList(), perShard);
    }
  }
}
