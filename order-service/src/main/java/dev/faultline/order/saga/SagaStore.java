package dev.faultline.order.saga;

import dev.faultline.order.orders.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The saga rows, beside their orders on the customer's shard; every method runs in the caller's
 * transaction. Writes by a saga driver are fenced: they pass only with a token at least as new as
 * the row's ({@code 0} for the instance that created the saga, the recovery lease's token for the
 * worker), so a worker that lost its lease cannot move a saga another one has taken over. The saga
 * benchmark's floor runs these same statements.
 */
@Repository
public class SagaStore {

  /** A saga as the admin endpoint lists it. */
  public record SagaView(
      UUID orderId,
      OrderStatus status,
      int attempts,
      @Nullable String lastError,
      Instant startedAt,
      Instant nextAttemptAt,
      @Nullable Instant finishedAt) {}

  /** A new saga, left to its creator (driving it inline) for {@code claimFor}. */
  public void create(JdbcClient db, UUID orderId, Duration claimFor) {
    db.sql(
            "insert into sagas (order_id, next_attempt_at) values (?, now() + make_interval(secs"
                + " => ?))")
        .params(orderId, seconds(claimFor))
        .update();
  }

  /** Takes the row for {@code token}; false when a newer token has written it (fenced out). */
  public boolean fence(JdbcClient db, UUID orderId, long token) {
    return db.sql(
                "update sagas set fence_token = :token, updated_at = now()"
                    + " where order_id = :id and fence_token <= :token")
            .param("token", token)
            .param("id", orderId)
            .update()
        == 1;
  }

  /**
   * The driver moves on to the next step: the worker leaves the saga alone for {@code claimFor}.
   */
  public void claim(JdbcClient db, UUID orderId, Duration claimFor) {
    postpone(db, orderId, claimFor, ", attempts = 0, last_error = null");
  }

  /** Counts a failed attempt; returns the attempt number (1 for the first failure). */
  int failed(JdbcClient db, UUID orderId, String error) {
    return db.sql(
            "update sagas set attempts = attempts + 1, last_error = left(?, 500), updated_at ="
                + " now() where order_id = ? returning attempts")
        .params(error, orderId)
        .query(Integer.class)
        .single();
  }

  void retryAfter(JdbcClient db, UUID orderId, Duration delay) {
    postpone(db, orderId, delay, "");
  }

  /** Makes the saga due after {@code delay}, setting {@code alsoSet} ({@code ", a = b"}) too. */
  private static void postpone(JdbcClient db, UUID orderId, Duration delay, String alsoSet) {
    db.sql(
            "update sagas set next_attempt_at = now() + make_interval(secs => ?)"
                + alsoSet
                + " where order_id = ?")
        .params(seconds(delay), orderId)
        .update();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  /** Marks the saga over; returns how long it ran, in seconds. */
  public double finish(JdbcClient db, UUID orderId, OrderStatus outcome) {
    return db.sql(
            "update sagas set finished_at = now(), outcome = ?, last_error = null, updated_at ="
                + " now() where order_id = ? returning extract(epoch from now() - started_at)")
        .params(outcome.name(), orderId)
        .query(Double.class)
        .single();
  }

  /** A cancel reopens a finished saga (its compensation is a new leg), due now. */
  public void reopen(JdbcClient db, UUID orderId) {
    db.sql(
            "update sagas set finished_at = null, outcome = null, attempts = 0, last_error = null,"
                + " next_attempt_at = now(), updated_at = now() where order_id = ?")
        .param(orderId)
        .update();
  }

  /** Makes an open saga due now; false when there is none (unknown, or finished). */
  boolean retryNow(JdbcClient db, UUID orderId) {
    return db.sql(
                "update sagas set attempts = 0, next_attempt_at = now(), updated_at = now()"
                    + " where order_id = ? and finished_at is null")
            .param(orderId)
            .update()
        == 1;
  }

  /**
   * Open sagas due now, but not those of slots this shard is handing over or has handed over: their
   * new owner's worker drives them (the rows here are a copy awaiting deletion).
   */
  List<UUID> due(JdbcClient db, int limit) {
    return db.sql(
            "select order_id from sagas where finished_at is null and next_attempt_at <= now()"
                + " and slot not in (select slot from shard_meta.slot_fence)"
                + " order by next_attempt_at limit ?")
        .param(limit)
        .query(UUID.class)
        .list();
  }

  record Counts(long inFlight, long stuck) {}

  Counts counts(JdbcClient db, Duration stuckAfter) {
    return db.sql(
            "select count(*) as in_flight, count(*) filter (where started_at < now() -"
                + " make_interval(secs => ?)) as stuck from sagas where finished_at is null"
                + " and slot not in (select slot from shard_meta.slot_fence where state = 'GONE')")
        .param(stuckAfter.toSeconds())
        .query((rs, n) -> new Counts(rs.getLong("in_flight"), rs.getLong("stuck")))
        .single();
  }

  List<SagaView> list(JdbcClient db, boolean stuckOnly, Duration stuckAfter, int limit) {
    return db.sql(
            "select s.order_id, o.status, s.attempts, s.last_error, s.started_at,"
                + " s.next_attempt_at, s.finished_at from sagas s join orders o on o.id ="
                + " s.order_id where (not :stuckOnly or (s.finished_at is null and s.started_at <"
                + " now() - make_interval(secs => :stuckAfter))) order by s.started_at desc"
                + " limit :limit")
        .param("stuckOnly", stuckOnly)
        .param("stuckAfter", stuckAfter.toSeconds())
        .param("limit", limit)
        .query(
            (rs, n) ->
                new SagaView(
                    rs.getObject("order_id", UUID.class),
                    OrderStatus.valueOf(rs.getString("status")),
                    rs.getInt("attempts"),
                    rs.getString("last_error"),
                    rs.getTimestamp("started_at").toInstant(),
                    rs.getTimestamp("next_attempt_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("finished_at"))
                        .map(java.sql.Timestamp::toInstant)
                        .orElse(null)))
        .list();
  }
}
