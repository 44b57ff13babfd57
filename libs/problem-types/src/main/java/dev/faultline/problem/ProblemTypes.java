package dev.faultline.problem;

import java.net.URI;

/** The {@code type} of a problem: a stable URN per kind, for clients to switch on. */
public final class ProblemTypes {
  public static final String PREFIX = "urn:faultline:problem:";

  private ProblemTypes() {}

  public static URI of(String slug) {
    return URI.create(PREFIX + slug);
  }

  /** The slug of a problem that has no kind of its own but its status. */
  public static String slugFor(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 409 -> "conflict";
      case 412 -> "precondition-failed";
      case 413 -> "content-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 422 -> "unprocessable-content";
      case 428 -> "precondition-required";
      case 429 -> "too-many-requests";
      case 431 -> "header-fields-too-large";
      case 502 -> "bad-gateway";
      case 503 -> "service-unavailable";
      case 504 -> "gateway-timeout";
      default -> status >= 500 ? "internal-error" : "http-" + status;
    };
  }
}
