/**
 * Admission control at the gateway: a concurrency limit per instance (fixed, or adaptive from
 * measured latency as TCP Vegas does), a slot per request while it is in flight, and spillover when
 * a service is full: a short, brief queue and then a fast 503 with {@code Retry-After}, never a
 * surge queue that serves clients who have left. {@link dev.faultline.gateway.admission.Rejections}
 * counts what the gateway refuses, by cause.
 */
@NullMarked
package dev.faultline.gateway.admission;

import org.jspecify.annotations.NullMarked;
