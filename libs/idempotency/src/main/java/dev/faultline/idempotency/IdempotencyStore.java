package dev.faultline.idempotency;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Key records in the service's schema on a shard. Every method runs inside the caller's shard
 * transaction ({@code db}), so the record commits or rolls back with the change it guards.
 *
 * <p>Concurrency: {@link #claim} first takes a transaction-scoped advisory lock on the key. A
 * second request with the same key while the first's transaction is open does not wait for it: it
 * is told at once that the key is in use (409). Once the first has committed, the lock is free and
 * the record is visible (each statement under READ COMMITTED sees what committed before it began).
 */
public final class IdempotencyStore {
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private final JsonMapper json;

  /** Unsafe on purpose, for the concept tour: {@code faultline.idempotency.unsafe-forget-keys}. */
  private final boolean forgetKeys;

  public IdempotencyStore(JsonMapper json) {
    this(json, false);
  }

  /** With {@code forgetKeys}, every key reads as new: a retry is applied again. */
  public IdempotencyStore(JsonMapper json, boolean forgetKeys) {
    this.json = json;
    this.forgetKeys = forgetKeys;
  }

  private record Row(
      String fingerprint,
      String state,
      @Nullable String recoveryPoint,
      boolean locked,
      @Nullable Integer status,
      @Nullable String headers,
      @Nullable String body) {}

  /** Locks the key for this transaction and says what its record allows. */
  public Claim claim(JdbcClient db, IdempotentRequest request) {
    Boolean locked =
        db.sql("select pg_try_advisory_xact_lock(?)")
            .param(request.lockKey())
            .query(Boolean.class)
            .single();
    if (!locked) {
      return new Claim.InProgress();
    }
    return peek(db, request);
  }

  /**
   * What the key's record says, without locking it: a request that completed is replayed from this
   * alone (no lease, no lock); anything else must {@link #claim} before acting.
   */
  public Claim peek(JdbcClient db, IdempotentRequest request) {
    if (forgetKeys) {
      return new Claim.Fresh();
    }
    Optional<Row> row =
        db.sql(
                "select fingerprint, state, recovery_point, coalesce(locked_until > now(), false),"
                    + " response_status, response_headers, response_body from idempotency_keys"
                    + " where scope = ? and key = ?")
            .params(request.scope(), request.key().value())
            .query(
                (rs, n) ->
                    new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBoolean(4),
                        (Integer) rs.getObject(5),
                        rs.getString(6),
                        rs.getString(7)))
            .optional();
    if (row.isEmpty()) {
      return new Claim.Fresh();
    }
    Row r = row.get();
    if (!r.fingerprint().equals(request.fingerprint())) {
      return new Claim.Mismatch();
    }
    if (r.state().equals("COMPLETED")) {
      return new Claim.Replay(
          new StoredResponse(
              r.status(),
              r.headers() == null ? Map.of() : json.readValue(r.headers(), HEADERS),
              r.body() == null ? "" : r.body()));
    }
    if (r.locked() || r.recoveryPoint() == null) {
      return new Claim.InProgress();
    }
    return new Claim.Abandoned(r.recoveryPoint());
  }

  /** Records a request answered in the same transaction as its change. */
  public void completed(JdbcClient db, IdempotentRequest request, StoredResponse response) {
    db.sql(
            "insert into idempotency_keys (scope, key, fingerprint, state, response_status,"
                + " response_headers, response_body, completed_at)"
                + " values (:scope, :key, :fingerprint, 'COMPLETED', :status, :headers, :body, now())"
                + " on conflict (scope, key) do update set state = 'COMPLETED',"
                + " response_status = excluded.response_status,"
                + " response_headers = excluded.response_headers,"
                + " response_body = excluded.response_body, completed_at = now(),"
                + " locked_until = null where idempotency_keys.state = 'IN_PROGRESS'")
        .param("scope", request.scope())
        .param("key", request.key().value())
        .param("fingerprint", request.fingerprint())
        .param("status", response.status())
        .param("headers", json.writeValueAsString(response.headers()))
        .param("body", response.body())
        .update();
  }

  /**
   * Records the first step of a request answered in two (its change is made, its answer is not):
   * other requests with the key get 409 until {@code lockFor} has passed, and after that answer for
   * it from {@code recoveryPoint}. The clock is the shard primary's, compared only with itself.
   */
  public void inProgress(
      JdbcClient db, IdempotentRequest request, String recoveryPoint, Duration lockFor) {
    db.sql(
            "insert into idempotency_keys (scope, key, fingerprint, state, recovery_point,"
                + " locked_until) values (?, ?, ?, 'IN_PROGRESS', ?,"
                + " now() + make_interval(secs => ?))")
        .params(
            request.scope(),
            request.key().value(),
            request.fingerprint(),
            recoveryPoint,
            lockFor.toMillis() / 1000.0)
        .update();
  }

  /**
   * Stores the answer of a two-step request. False when the record was completed already (by a
   * retry that took over after this request's lock ran out); the stored answer stands.
   */
  public boolean complete(JdbcClient db, IdempotentRequest request, StoredResponse response) {
    return db.sql(
                "update idempotency_keys set state = 'COMPLETED', response_status = ?,"
                    + " response_headers = ?, response_body = ?, completed_at = now(),"
                    + " locked_until = null where scope = ? and key = ? and state = 'IN_PROGRESS'")
            .params(
                response.status(),
                json.writeValueAsString(response.headers()),
                response.body(),
                request.scope(),
                request.key().value())
            .update()
        == 1;
  }

  /** Deletes up to {@code batch} records older than {@code retention}; returns how many. */
  public int reap(JdbcClient db, Duration retention, int batch) {
    return db.sql(
            "delete from idempotency_keys where ctid in (select ctid from idempotency_keys"
                + " where created_at < now() - make_interval(secs => ?) limit ?)")
        .params(retention.toSeconds(), batch)
        .update();
  }
}
