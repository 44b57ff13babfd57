package dev.faultline.lock.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Storage-side fencing for PostgreSQL: the write and the token check are one statement, so no stale
 * holder can slip a write in between a check and an update.
 *
 * <pre>
 * UPDATE table SET (your changes), fence_token = :fencingToken
 *  WHERE id = :fencedId AND fence_token &lt;= :fencingToken
 * </pre>
 *
 * The protected table has a {@code fence_token bigint not null default 0} column. A write with an
 * older token than the row's raises {@link StaleFencingTokenException} and counts in {@code
 * locks_fencing_rejections_total}; an equal token (the same holder writing again) is accepted.
 */
public final class StorageFence {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Counter rejections;

  public StorageFence(MeterRegistry meters) {
    this.rejections =
        Counter.builder("locks.fencing.rejections")
            .description("writes refused because a newer lease holder already wrote")
            .register(meters);
  }

  /**
   * Updates one row under the fence. {@code set} is the SQL of the changes (named parameters from
   * {@code params}); returns the rows updated (0 when the row does not exist).
   */
  public int update(
      JdbcClient db,
      String table,
      String idColumn,
      Object id,
      long fencingToken,
      String set,
      Map<String, ?> params) {
    identifier(table);
    identifier(idColumn);
    Map<String, Object> all = new HashMap<>(params);
    all.put("fencingToken", fencingToken);
    all.put("fencedId", id);
    int updated =
        db.sql(
                "update "
                    + table
                    + " set "
                    + set
                    + ", fence_token = :fencingToken where "
                    + idColumn
                    + " = :fencedId and fence_token <= :fencingToken")
            .params(all)
            .update();
    if (updated > 0) {
      return updated;
    }
    Optional<Long> stored =
        db.sql("select fence_token from " + table + " where " + idColumn + " = :fencedId")
            .param("fencedId", id)
            .query(Long.class)
            .optional();
    if (stored.isPresent() && stored.get() > fencingToken) {
      rejections.increment();
      throw new StaleFencingTokenException(table + "/" + id, fencingToken, stored.get());
    }
    return 0;
  }

  private static void identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + name);
    }
  }
}
