/**
 * The suite's container stack ({@code docker-compose.yml}) seen from this machine: its containers
 * by service name, kills and starts, tokens and credentials from its secrets, and ports forwarded
 * into its containers.
 */
@NullMarked
package dev.faultline.cluster.compose;

import org.jspecify.annotations.NullMarked;
