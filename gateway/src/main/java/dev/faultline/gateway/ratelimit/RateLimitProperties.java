package dev.faultline.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code faultline.gateway.rate-limit}: each caller's token bucket at each gateway instance ({@code
 * requestsPerSecond} sustained, {@code burst} at once). Per instance, not global: behind N gateways
 * a caller gets up to N times this, the price of needing no shared store on the request path.
 */
@ConfigurationProperties(prefix = "faultline.gateway.rate-limit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("200") double requestsPerSecond,
    @DefaultValue("400") int burst,
    @DefaultValue("100000") int maxCallers) {}
