package dev.faultline.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTests {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsGrantedAtOnceThenTokensComeBackAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 5, 0);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.take(0)).isZero();
    }
    long wait = bucket.take(0);
    assertThat(wait).isEqualTo(SECOND / 10); // one token every 100 ms
    assertThat(bucket.take(wait)).isZero();
    assertThat(bucket.take(wait)).isPositive();
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsBurstAndIsThenFull() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    bucket.take(0);
    assertThat(bucket.full(0)).isFalse();
    assertThat(bucket.full(10 * SECOND)).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.take(10 * SECOND)).isZero();
    }
    assertThat(bucket.take(10 * SECOND)).isPositive();
  }

  @Test
  void eachCallerHasItsOwnBucketAndIdleOnesAreForgottenPastTheBound() {
    AtomicLong now = new AtomicLong();
    RateLimits limits = new RateLimits(new RateLimitProperties(true, 1, 1, 3), now::get);
    assertThat(limits.take("alice")).isZero();
    assertThat(limits.take("alice")).isPositive();
    assertThat(limits.take("bob")).isZero(); // alice's bucket is not bob's
    limits.take("carol");
    now.addAndGet(5 * SECOND); // everyone refilled: full buckets carry no memory
    limits.take("dave");
    assertThat(limits.callers()).isEqualTo(1);
  }
}
