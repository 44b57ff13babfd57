/**
 * What the gateway refuses before it routes: bodies over the size limit (a {@code 413} problem,
 * never buffered whole), and requests its HTTP decoder or firewall rejects (problems too, not the
 * empty answers Netty and Spring Security give by default).
 */
@NullMarked
package dev.faultline.gateway.limits;

import org.jspecify.annotations.NullMarked;
