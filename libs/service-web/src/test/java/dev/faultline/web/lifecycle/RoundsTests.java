package dev.faultline.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundsTests {

  @Test
  void roundsRepeatUntilStoppedAndNoneRunsAfterwards() throws Exception {
    AtomicInteger count = new AtomicInteger();
    Rounds rounds =
        new Rounds("test-rounds", Duration.ofMillis(10)) {
          @Override
          protected void round() {
            count.incrementAndGet();
          }
        };
    assertThat(rounds.isRunning()).isFalse();

    rounds.start();
    assertThat(rounds.isRunning()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> count.get() >= 3);

    rounds.stop();
    assertThat(rounds.isRunning()).isFalse();
    Thread.sleep(50); // a round under way when stop() came may still finish
    int stopped = count.get();
    Thread.sleep(100);
    assertThat(count.get()).isEqualTo(stopped);
  }
}
