package dev.faultline.idempotency.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.idempotency.*}: how long keys are kept ({@code retention}, at least the 24 h the
 * contract promises) and how often the reaper looks for older ones.
 */
@ConfigurationProperties("faultline.idempotency")
public record IdempotencyProperties(
    @DefaultValue("24h") Duration retention, @DefaultValue("10m") Duration reapInterval) {}
