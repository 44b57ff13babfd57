package dev.faultline.order.saga;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the saga runs ({@code faultline.saga.*}).
 *
 * @param respondWithin how long {@code POST /api/orders} drives the saga before answering 202
 * @param stepTimeout the longest one call to the payment service may take
 * @param baseBackoff the first retry's ceiling; each later one doubles it (full jitter)
 * @param maxBackoff the longest wait between retries: once dependencies are back, every saga moves
 *     again within about this long
 * @param stuckAfter a saga not terminal this long after it started counts as stuck
 * @param pollInterval how often the recovery worker looks for due sagas
 * @param recoveryLeaseTtl the TTL of the per-shard recovery lease
 * @param breakerOpenFor how long the payment circuit stays open before probing again
 */
@ConfigurationProperties("faultline.saga")
public record SagaProperties(
    @DefaultValue("2s") Duration respondWithin,
    @DefaultValue("3s") Duration stepTimeout,
    @DefaultValue("200ms") Duration baseBackoff,
    @DefaultValue("5s") Duration maxBackoff,
    @DefaultValue("60s") Duration stuckAfter,
    @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("6s") Duration recoveryLeaseTtl,
    @DefaultValue("3s") Duration breakerOpenFor) {

  /** How long an inline driver owns a new saga before the worker may take it over. */
  public Duration inlineClaim() {
    return respondWithin.plus(stepTimeout).plusSeconds(1);
  }
}
