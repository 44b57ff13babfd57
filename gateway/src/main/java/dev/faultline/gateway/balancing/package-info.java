/**
 * How the gateway picks an instance beyond the load balancer's own policy: a retry goes to an
 * instance this request has not tried, and an instance that keeps failing at the transport level
 * (refused, reset, timed out) is ejected for a growing interval, before its ZooKeeper session
 * expires and discovery drops it. Every answer names the instance that served it ({@code
 * Served-By}).
 */
@NullMarked
package dev.faultline.gateway.balancing;

import org.jspecify.annotations.NullMarked;
