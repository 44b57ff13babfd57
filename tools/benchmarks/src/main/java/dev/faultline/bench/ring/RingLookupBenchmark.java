package dev.faultline.bench.ring;

import dev.faultline.ring.KeyHash;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per lookup, key string to shard, hashing included (that is what a request pays). Keys
 * cycle through a fixed set so the benchmark measures lookups, not string building.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingLookupBenchmark {
  private static final int KEY_COUNT = 1 << 16;

  @Param({"slots", "jump", "vnodes160"})
  public String placement;

  @Param({"4", "16", "64"})
  public int shards;

  private Placement ring;
  private String[] keys;
  private int next;

  @Setup
  public void setUp() {
    ring = Placement.of(placement, shards);
    keys = new String[KEY_COUNT];
    for (int i = 0; i < KEY_COUNT; i++) {
      keys[i] = "customer-" + i;
    }
  }

  @Benchmark
  public int lookup() {
    String key = keys[next++ & (KEY_COUNT - 1)];
    return ring.shardOfHash(KeyHash.of(key));
  }
}
