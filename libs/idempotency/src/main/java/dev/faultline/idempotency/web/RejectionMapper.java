package dev.faultline.idempotency.web;

import dev.faultline.idempotency.IdempotencyConflictException;
import dev.faultline.idempotency.IdempotencyKeyException;
import dev.faultline.web.problem.Problems;
import dev.faultline.web.problem.Rejection;
import java.util.Optional;
import org.springframework.http.ProblemDetail;

/**
 * A service's domain rejections as problems (a 4xx the client caused: account not found, not yours,
 * nothing to refund). A keyed request rejected this way has its problem stored and replayed, as
 * Stripe does, in place of its rolled-back change; anything not mapped here (a transient failure)
 * rolls the whole request back and a retry runs it afresh.
 */
@FunctionalInterface
public interface RejectionMapper {
  Optional<ProblemDetail> problemFor(RuntimeException rejection);

  /**
   * The default: every {@link Rejection} that is the client's fault (4xx), except the idempotency
   * refusals themselves: a key in use or reused answers this one request and is never the stored
   * outcome of the operation the key names.
   */
  RejectionMapper CLIENT_ERRORS =
      e ->
          e instanceof Rejection r
                  && r.status() < 500
                  && !(r instanceof IdempotencyConflictException)
                  && !(r instanceof IdempotencyKeyException)
              ? Optional.of(Problems.of(r))
              : Optional.empty();
}
