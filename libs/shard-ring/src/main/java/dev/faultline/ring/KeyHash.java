package dev.faultline.ring;

import java.nio.charset.StandardCharsets;

/**
 * The stable 64-bit hash of a key: the first 64 bits of MurmurHash3 x64 128 (seed 0) over the key's
 * UTF-8 bytes, the same value as Guava's {@code murmur3_128().hashBytes(b).asLong()} and the
 * reference C implementation. Routing must agree across processes, restarts and languages, so it
 * never uses {@link String#hashCode()} or anything seeded per JVM.
 */
public final class KeyHash {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private KeyHash() {}

  public static long of(String key) {
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  public static long of(byte[] data) {
    int length = data.length;
    long h1 = 0;
    long h2 = 0;
    int blocks = length / 16;
    for (int i = 0; i < blocks; i++) {
      long k1 = littleEndian(data, i * 16);
      long k2 = littleEndian(data, i * 16 + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = blocks * 16;
    long k1 = 0;
    long k2 = 0;
    for (int i = (length & 15) - 1; i >= 0; i--) {
      long b = data[tail + i] & 0xffL;
      if (i >= 8) {
        k2 ^= b << ((i - 8) * 8);
      } else {
        k1 ^= b << (i * 8);
      }
    }
    if ((length & 15) > 8) {
      h2 ^= mixK2(k2);
    }
    if ((length & 15) > 0) {
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    return h1;
  }

  /** MurmurHash3's finaliser: a bijection on 64 bits with full avalanche. */
  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long littleEndian(byte[] data, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (data[offset + i] & 0xffL);
    }
    return value;
  }
}
