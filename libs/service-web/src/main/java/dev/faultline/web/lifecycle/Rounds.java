package dev.faultline.web.lifecycle;

import java.time.Duration;

/**
 * A monitor's heartbeat: a daemon thread that runs a round, sleeps for the interval, and runs the
 * next, until {@link #stop()} interrupts it. The shard router's health probes and the lock
 * service's ensemble probes both beat this way.
 */
public final class Rounds {
  private final String name;
  private final Duration interval;
  private final Runnable round;
  private volatile Thread thread;

  public Rounds(String name, Duration interval, Runnable round) {
    this.name = name;
    this.interval = interval;
    this.round = round;
  }

  public void start() {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    round.run();
                    try {
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  public void stop() {
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
    thread = null;
  }

  public boolean running() {
    return thread != null;
  }
}
