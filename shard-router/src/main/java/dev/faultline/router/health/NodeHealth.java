package dev.faultline.router.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One PostgreSQL node as the last probe saw it.
 *
 * @param role {@code primary}, {@code replica}, or null when down
 * @param streamingFrom for a replica, the {@code host:port} its WAL receiver streams from
 * @param lagSeconds for a replica, how far replay trails what it received
 * @param lsn a primary's current WAL position, a replica's last received (flushed) position
 * @param synchronousStandbys for a primary, how many standbys currently confirm commits
 * @param deposed for a primary, whether its fence says it was replaced
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeHealth(
    String address,
    boolean up,
    @Nullable String role,
    @Nullable String streamingFrom,
    @Nullable Double lagSeconds,
    @Nullable Long lsn,
    @Nullable Integer synchronousStandbys,
    @Nullable Boolean deposed,
    @Nullable String error) {

  static NodeHealth down(String address, String error) {
    return new NodeHealth(address, false, null, null, null, null, null, null, error);
  }

  @JsonIgnore
  public boolean isPrimary() {
    return up && "primary".equals(role);
  }

  public boolean isReplicaOf(String primary) {
    return up && "replica".equals(role) && primary.equals(streamingFrom);
  }
}
