/**
 * The problem types every answer of the suite carries ({@code urn:faultline:problem:<slug>}), so a
 * client switches on one vocabulary whether the gateway or a service refused it.
 */
@NullMarked
package dev.faultline.problem;

import org.jspecify.annotations.NullMarked;
