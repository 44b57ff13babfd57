package dev.faultline.shard;

/**
 * Migrations a library brings into the service's schema on every shard (the idempotency table, for
 * instance), applied before the service's own. Each set keeps its own Flyway history table, so a
 * library's versions never collide with the service's. Declare one as a bean.
 */
public record ShardMigration(String location, String historyTable) {

  public ShardMigration {
    if (!historyTable.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("history table must be a plain identifier");
    }
    if (historyTable.equals("flyway_schema_history")) {
      throw new IllegalArgumentException("that history table is the service's own");
    }
  }
}
