package dev.faultline.web.lifecycle;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * A monitor's heartbeat, started and stopped with the application: a daemon thread that runs a
 * round, sleeps for the interval, and runs the next, until {@link #stop()} interrupts it. The shard
 * router's health probes and the lock service's ensemble probes both beat this way.
 */
public abstract class Rounds implements SmartLifecycle {
  private final String name;
  private final Duration interval;
  private volatile @Nullable Thread thread;

  protected Rounds(String name, Duration interval) {
    this.name = name;
    this.interval = interval;
  }

  /** One round; an exception ends the heartbeat, so a round handles its own. */
  protected abstract void round();

  @Override
  public void start() {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    round();
                    try {
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  @Override
  public void stop() {
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
    thread = null;
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }
}
