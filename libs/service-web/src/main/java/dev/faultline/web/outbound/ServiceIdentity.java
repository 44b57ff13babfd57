package dev.faultline.web.outbound;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bearer token this service presents when it calls another one ({@code
 * faultline.service.token}, from the environment as {@code FAULTLINE_SERVICE_TOKEN}; {@code
 * bin/suite} mints one per service at launch). Its subject is the service's name, so the callee's
 * idempotency keys and audit trail see who called.
 */
@ConfigurationProperties("faultline.service")
public record ServiceIdentity(@Nullable String token) {

  /** The token, or a clear failure when the service was started without one. */
  public String requireToken() {
    if (token == null || token.isBlank()) {
      throw new IllegalStateException(
          "faultline.service.token (FAULTLINE_SERVICE_TOKEN) is not set: this service cannot call"
              + " the others");
    }
    return token;
  }
}
