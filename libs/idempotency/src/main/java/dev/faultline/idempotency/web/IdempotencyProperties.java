package dev.faultline.idempotency.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.idempotency.*}: how long keys are kept ({@code retention}, at least the 24 h the
 * contract promises) and how often the reaper looks for older ones.
 *
 * <p>{@code unsafeForgetKeys} drops the protection, for the concept tour (docs/concepts) to show
 * what it prevents: every request runs as if its key were new, so a retry applies again. Off by
 * default; a service with it on says so at start, at ERROR.
 */
@ConfigurationProperties("faultline.idempotency")
public record IdempotencyProperties(
    @DefaultValue("24h") Duration retention,
    @DefaultValue("10m") Duration reapInterval,
    @DefaultValue("false") boolean unsafeForgetKeys) {}
