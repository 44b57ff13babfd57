package dev.faultline.web.problem;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The trace ID of the request being served. Micrometer Tracing puts it in the logging context (MDC)
 * for every request, continuing the gateway's W3C {@code traceparent}, so a problem body and the
 * log lines of every hop share one ID.
 */
public final class TraceIds {
  private TraceIds() {}

  public static @Nullable String current() {
    return MDC.get("traceId");
  }
}
