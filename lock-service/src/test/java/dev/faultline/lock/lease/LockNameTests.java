package dev.faultline.lock.lease;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockNameTests {

  @ParameterizedTest
  @ValueSource(strings = {"account:42", "shard-0.failover", "A_b"})
  void plainNamesAreLockNames(String name) {
    assertThatNoException().isThrownBy(() -> new LockName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a b", "ä"})
  void namesThatAreNotOneSafePathSegmentAreRejected(String name) {
    assertThatThrownBy(() -> new LockName(name)).isInstanceOf(InvalidLockNameException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {129, 1000})
  void overlongNamesAreRejected(int length) {
    assertThatThrownBy(() -> new LockName("x".repeat(length)))
        .isInstanceOf(InvalidLockNameException.class);
  }
}
