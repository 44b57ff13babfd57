package dev.faultline.lock.lease;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protections this service can be told to drop ({@code faultline.locks.unsafe.*}), so the concept
 * tour (docs/concepts) can show what each one prevents: the drill's {@code locks} check fails
 * without them. Both are off by default and an instance with either on says so at start, at ERROR.
 * Never set them anywhere but a throwaway suite.
 *
 * @param reaperClockAhead this instance's reaper counts every lease's TTL on a clock that runs this
 *     far ahead, as one that compared a wall-clock deadline with a clock that jumped would: leases
 *     end while their holders still count them as theirs (environment: {@code
 *     FAULTLINE_LOCKS_UNSAFE_REAPERCLOCKAHEAD=3500ms})
 * @param instanceLocalTokens fencing tokens from a counter in this instance instead of ZooKeeper's
 *     zxid, as a lock service with no shared order of events would number its grants: two instances
 *     hand out tokens that go down as well as up ({@code
 *     FAULTLINE_LOCKS_UNSAFE_INSTANCELOCALTOKENS})
 */
@ConfigurationProperties("faultline.locks.unsafe")
public record UnsafeLockSettings(
    @DefaultValue("0ms") Duration reaperClockAhead,
    @DefaultValue("false") boolean instanceLocalTokens) {
  private static final Logger log = LoggerFactory.getLogger(UnsafeLockSettings.class);

  /** Every protection on: what tests and a normal start get. */
  public static final UnsafeLockSettings SAFE = new UnsafeLockSettings(Duration.ZERO, false);

  public UnsafeLockSettings {
    if (reaperClockAhead.isNegative()) {
      throw new IllegalArgumentException("faultline.locks.unsafe.reaper-clock-ahead < 0");
    }
    if (!reaperClockAhead.isZero()) {
      log.error(
          "UNSAFE: faultline.locks.unsafe.reaper-clock-ahead={}: this instance ends leases {} ms"
              + " early, while their holders still count them as held (two holders at once)",
          reaperClockAhead,
          reaperClockAhead.toMillis());
    }
    if (instanceLocalTokens) {
      log.error(
          "UNSAFE: faultline.locks.unsafe.instance-local-tokens=true: fencing tokens come from"
              + " this instance's own counter, not ZooKeeper's zxid, so a later grant can carry a"
              + " lower token than an earlier one");
    }
  }
}
