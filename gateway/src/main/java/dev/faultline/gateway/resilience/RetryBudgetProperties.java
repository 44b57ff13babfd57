package dev.faultline.gateway.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.gateway.retry-budget}: retries may add {@code ratio} of a service's requests
 * over the last {@code window}, plus {@code minPerSecond}. {@code enabled: false} lets every
 * retryable failure retry (to show the retry storm a budget prevents).
 */
@ConfigurationProperties(prefix = "faultline.gateway.retry-budget")
public record RetryBudgetProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("0.2") double ratio,
    @DefaultValue("5") double minPerSecond,
    @DefaultValue("10s") Duration window) {}
