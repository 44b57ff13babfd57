/**
 * Who is calling ({@link dev.faultline.gateway.ratelimit.Callers}) and a token bucket per caller at
 * each gateway instance: past it, 429 with {@code Retry-After}.
 */
@NullMarked
package dev.faultline.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
