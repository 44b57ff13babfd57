package dev.faultline.idempotency.web;

import dev.faultline.idempotency.Claim;
import dev.faultline.idempotency.IdempotencyConflictException;
import dev.faultline.idempotency.IdempotencyKey;
import dev.faultline.idempotency.IdempotencyStore;
import dev.faultline.idempotency.IdempotentRequest;
import dev.faultline.idempotency.RequestFingerprint;
import dev.faultline.idempotency.StoredResponse;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.problem.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs keyed requests. The usual shape is one transaction on the shard that owns the data:
 *
 * <pre>{@code
 * IdempotentRequest request = idempotency.request(keyHeader, caller.subject(), "POST /api/x", body);
 * return idempotency.execute(slot, request, db -> { ...change...; return responses.json(201, x, h); })
 *     .toResponseEntity();
 * }</pre>
 *
 * Inside that transaction: lock the key, replay a stored answer or refuse a conflicting one, else
 * make the change, then record the key with the answer. A domain rejection (see {@link
 * RejectionMapper}) rolls the change back to a savepoint and is stored as the answer instead.
 */
public final class Idempotency {
  private final ShardClient shards;
  private final IdempotencyStore store;
  private final StoredResponses responses;
  private final RejectionMapper rejections;
  private final JsonMapper json;
  private final Counter replays;
  private final Counter inProgress;
  private final Counter mismatches;

  public Idempotency(
      ShardClient shards,
      IdempotencyStore store,
      StoredResponses responses,
      RejectionMapper rejections,
      JsonMapper json,
      MeterRegistry meters) {
    this.shards = shards;
    this.store = store;
    this.responses = responses;
    this.rejections = rejections;
    this.json = json;
    this.replays =
        Counter.builder("idempotency.replays")
            .description("requests answered with the stored response of an earlier one")
            .register(meters);
    this.inProgress = conflicts(meters, "in-progress");
    this.mismatches = conflicts(meters, "mismatch");
  }

  private static Counter conflicts(MeterRegistry meters, String reason) {
    return Counter.builder("idempotency.conflicts")
        .description("keyed requests refused: key in use (409) or used for another request (422)")
        .tag("reason", reason)
        .register(meters);
  }

  /**
   * The keyed request: {@code header} is the Idempotency-Key header (400 when missing or invalid),
   * {@code scope} the caller's identity, {@code operation} the method and path, {@code body} the
   * parsed request body (fingerprinted as canonical JSON).
   */
  public IdempotentRequest request(
      @Nullable String header, String scope, String operation, @Nullable Object body) {
    IdempotencyKey key = IdempotencyKey.parse(header);
    return new IdempotentRequest(
        scope,
        key,
        RequestFingerprint.of(operation, body == null ? json.nullNode() : json.valueToTree(body)));
  }

  /** Work that makes the change and renders its answer, in the shard transaction. */
  @FunctionalInterface
  public interface Work {
    StoredResponse apply(JdbcClient db);
  }

  /**
   * The stored answer when the key's request completed already (or a refusal for a key used with
   * another request): cheap, and it needs nothing but the shard, so a retry is answered even when
   * the request's other dependencies (a lease) are down. Empty: run the request.
   */
  public Optional<Outcome> replayIfCompleted(int slot, IdempotentRequest request) {
    Claim claim =
        shards.readSlot(slot, dev.faultline.shard.Freshness.LATEST, db -> store.peek(db, request));
    return switch (claim) {
      case Claim.Replay(StoredResponse stored) -> Optional.of(replayed(stored));
      case Claim.Mismatch() -> throw mismatch();
      case Claim.Fresh fresh -> Optional.empty();
      case Claim.InProgress inProgress -> Optional.empty();
      case Claim.Abandoned abandoned -> Optional.empty();
    };
  }

  /**
   * The one-transaction shape (see the class comment) on the shard owning {@code slot}: the key's
   * record moves with the data it guards when the slot moves.
   */
  public Outcome execute(int slot, IdempotentRequest request, Work work) {
    return shards.writeSlot(
        slot,
        db -> {
          Claim claim = store.claim(db, request);
          return switch (claim) {
            case Claim.Replay(StoredResponse stored) -> replayed(stored);
            case Claim.InProgress() -> throw inProgress();
            case Claim.Mismatch() -> throw mismatch();
            case Claim.Fresh fresh -> run(db, request, work);
            // Only two-step requests leave IN_PROGRESS records; for this shape it is fresh.
            case Claim.Abandoned abandoned -> run(db, request, work);
          };
        });
  }

  private Outcome run(JdbcClient db, IdempotentRequest request, Work work) {
    StoredResponse response = runRejectable(db, work);
    store.completed(db, request, response);
    return new Outcome(response, false);
  }

  /**
   * Runs {@code work} behind a savepoint: a domain rejection undoes whatever it did and becomes the
   * answer; any other failure propagates and rolls back the whole transaction.
   */
  public StoredResponse runRejectable(JdbcClient db, Work work) {
    db.sql("savepoint idempotent_work").update();
    try {
      StoredResponse response = work.apply(db);
      db.sql("release savepoint idempotent_work").update();
      return response;
    } catch (RuntimeException e) {
      Optional<ProblemDetail> problem = rejections.problemFor(e);
      if (problem.isEmpty()) {
        throw e;
      }
      db.sql("rollback to savepoint idempotent_work").update();
      return responses.problem(problem.get());
    }
  }

  /**
   * Stores {@code refusal} as the key's answer, found by checks made before the transaction (an
   * account asked of another service, a row read): a retry gets the same refusal, not a second look
   * that might now succeed and apply the operation after its client was told it failed.
   */
  public Outcome refuse(int slot, IdempotentRequest request, Rejection refusal) {
    return execute(
        slot,
        request,
        db -> {
          throw refusal;
        });
  }

  /** Counts and wraps a replay (for two-step callers that read claims themselves). */
  public Outcome replayed(StoredResponse stored) {
    replays.increment();
    return new Outcome(stored, true);
  }

  public IdempotencyConflictException inProgress() {
    inProgress.increment();
    return new IdempotencyConflictException.InProgress();
  }

  public IdempotencyConflictException mismatch() {
    mismatches.increment();
    return new IdempotencyConflictException.Mismatch();
  }

  public IdempotencyStore store() {
    return store;
  }

  public StoredResponses responses() {
    return responses;
  }
}
