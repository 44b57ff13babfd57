/**
 * How the gateway picks an instance: each route's policy ({@link
 * dev.faultline.gateway.balancing.policy}) with the request's affinity key, among discovery's
 * instances less those this request already tried and the ejected outliers (an instance that failed
 * twice in a row is out for a growing interval, before its ZooKeeper session expires and discovery
 * drops it), each under its concurrency limit ({@link dev.faultline.gateway.admission}). Every
 * answer names the instance that served it ({@code Served-By}).
 */
@NullMarked
package dev.faultline.gateway.balancing;

import org.jspecify.annotations.NullMarked;
