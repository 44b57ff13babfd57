package dev.faultline.router.health;

import org.jspecify.annotations.Nullable;

/** One PostgreSQL node as a probe saw it. */
public record NodeHealth(
    String address, boolean up, @Nullable String role, @Nullable Double replicationLagSeconds) {

  static NodeHealth down(String address) {
    return new NodeHealth(address, false, null, null);
  }
}
