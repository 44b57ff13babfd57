/**
 * What makes a Spring Boot application a service of the suite: verified bearer tokens and the
 * caller they name, RFC 9457 problem details for every error, and the shared operational defaults
 * (probes, metrics, structured logs with trace IDs, ZooKeeper discovery timing).
 */
@NullMarked
package dev.faultline.web;

import org.jspecify.annotations.NullMarked;
