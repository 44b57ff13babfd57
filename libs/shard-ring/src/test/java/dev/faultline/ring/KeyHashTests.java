package dev.faultline.ring;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyHashTests {

  @Test
  void equalsGuavasMurmur3ForEveryLengthAndTail() {
    Random random = new Random(42);
    for (int length = 0; length <= 100; length++) {
      for (int round = 0; round < 50; round++) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        assertThat(KeyHash.of(data))
            .as("length %d", length)
            .isEqualTo(Hashing.murmur3_128().hashBytes(data).asLong());
      }
    }
  }

  @Test
  void hashesTheUtf8BytesOfAKey() {
    for (String key : new String[] {"", "customer-1", "acc-ü-€-𝄞", "a".repeat(1000)}) {
      assertThat(KeyHash.of(key))
          .isEqualTo(Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8).asLong());
    }
  }

  @Test
  void knownValuesNeverChange() {
    // Pinned: a change here re-routes every stored key. Never edit these to make a test pass.
    assertThat(KeyHash.of("")).isZero();
    assertThat(Long.toHexString(KeyHash.of("customer-1")))
        .isEqualTo(
            Long.toHexString(
                Hashing.murmur3_128().hashString("customer-1", StandardCharsets.UTF_8).asLong()));
  }
}
