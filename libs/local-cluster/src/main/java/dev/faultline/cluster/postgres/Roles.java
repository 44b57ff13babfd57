package dev.faultline.cluster.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The roles and the database a primary is born with, created once and idempotently. */
final class Roles {
  private Roles() {}

  /** Creates the application role and database and the replication role. */
  static void bootstrap(Connection c, PostgresCredentials credentials) throws SQLException {
    try (Statement s = c.createStatement()) {
      createRole(s, PostgresCredentials.APP_USER, "login", credentials.appPassword());
      // Read-only monitoring views (pg_stat_wal_receiver, pg_stat_replication): the shard client
      // measures replica lag with them.
      s.execute("grant pg_monitor to " + PostgresCredentials.APP_USER);
      createRole(
          s,
          PostgresCredentials.REPLICATION_USER,
          "login replication",
          credentials.replicationPassword());
      if (!exists(
          s, "select 1 from pg_database where datname = '" + PostgresCredentials.DATABASE + "'")) {
        s.execute(
            "create database "
                + PostgresCredentials.DATABASE
                + " owner "
                + PostgresCredentials.APP_USER);
      }
    }
  }

  /** Creates role {@code name} with {@code options} and {@code password} unless it exists. */
  private static void createRole(Statement s, String name, String options, String password)
      throws SQLException {
    if (!exists(s, "select 1 from pg_roles where rolname = '" + name + "'")) {
      s.execute("create role " + name + " " + options + " password '" + password + "'");
    }
  }

  static boolean exists(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
