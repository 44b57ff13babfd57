package dev.faultline.gateway.admission;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.gateway.admission}: each instance's concurrency limit at this gateway ({@code
 * limit}) and the short queue in front of a full service ({@code queue}). {@code
 * unsafe-surge-queue: true} replaces that queue with a load balancer's surge queue (thousands of
 * requests, for up to 30 s), only to show the collapse spillover prevents; it is logged loudly.
 */
@ConfigurationProperties(prefix = "faultline.gateway.admission")
public record AdmissionProperties(
    @DefaultValue Limit limit,
    @DefaultValue Queue queue,
    @DefaultValue("false") boolean unsafeSurgeQueue) {

  /**
   * {@code adaptive} (Vegas, from {@code initial} within [{@code min}, {@code max}]) or {@code
   * fixed}.
   */
  public record Limit(
      @DefaultValue("adaptive") Kind kind,
      @DefaultValue("64") int fixed,
      @DefaultValue("16") int initial,
      @DefaultValue("2") int min,
      @DefaultValue("256") int max) {

    public ConcurrencyLimit create() {
      return switch (kind) {
        case FIXED -> new FixedLimit(fixed);
        case ADAPTIVE -> new VegasLimit(initial, min, max);
      };
    }
  }

  public enum Kind {
    FIXED,
    ADAPTIVE
  }

  /**
   * At most {@code maxQueued} requests per service wait for a slot, each at most {@code maxWait}.
   */
  public record Queue(@DefaultValue("4") int maxQueued, @DefaultValue("20ms") Duration maxWait) {}

  public QueuePolicy queuePolicy() {
    return unsafeSurgeQueue
        ? QueuePolicy.SURGE
        : new QueuePolicy(queue.maxQueued(), queue.maxWait());
  }
}
