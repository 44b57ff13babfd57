package dev.faultline.web.limits;

import dev.faultline.web.problem.Rejection;

/** A request body over {@link RequestLimits#maxBodySize()}: declared so, or found so while read. */
public final class BodyTooLarge extends Rejection {
  public BodyTooLarge(long limit) {
    super(
        413,
        "content-too-large",
        "Content too large",
        "the request body is larger than the " + limit + " bytes this API accepts");
  }
}
