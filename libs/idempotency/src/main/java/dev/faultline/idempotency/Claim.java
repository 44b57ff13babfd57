package dev.faultline.idempotency;

/** What a key's record says when a request arrives with it. */
public sealed interface Claim {

  /** No record: this request is the first with the key; go ahead. */
  record Fresh() implements Claim {}

  /** The first request completed: answer with its stored response. */
  record Replay(StoredResponse response) implements Claim {}

  /** The first request is still running (409): the client retries later. */
  record InProgress() implements Claim {}

  /** The key was used with a different request (422). */
  record Mismatch() implements Claim {}

  /**
   * The first request made its change and then died before answering (its lock ran out): the caller
   * answers for it from {@code recoveryPoint}, what the first step recorded.
   */
  record Abandoned(String recoveryPoint) implements Claim {}
}
