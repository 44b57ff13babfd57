package dev.faultline.web.problem;

import org.jspecify.annotations.Nullable;

/**
 * A request the domain refuses, with the answer it deserves: a status, a stable problem type slug
 * ({@code urn:faultline:problem:<slug>}), a title and a detail. Domain code throws subclasses
 * ({@code AccountNotFound}, {@code NothingToRefund}, ...) without touching web types; one handler
 * renders them all. A 4xx is the client's to fix and is stored as the answer to an idempotent
 * request; a 5xx (with {@link #retryAfterSeconds()}) says "not now", and nothing is stored.
 */
public abstract class Rejection extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;

  protected Rejection(int status, String slug, String title, String detail) {
    super(detail);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a rejection is a 4xx or 5xx, not " + status);
    }
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** For a 503: when to try again; empty for a client error. */
  public @Nullable Integer retryAfterSeconds() {
    return status == 503 ? 1 : null;
  }
}
