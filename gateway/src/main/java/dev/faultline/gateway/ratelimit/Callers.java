package dev.faultline.gateway.ratelimit;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, kept on the exchange once the token is verified: the token's subject (a customer,
 * or an operator's name). The rate limit and customer affinity read it from here.
 */
public final class Callers {
  public static final String ATTRIBUTE = Callers.class.getName() + ".caller";

  private Callers() {}

  public static @Nullable String of(Map<String, Object> attributes) {
    return (String) attributes.get(ATTRIBUTE);
  }
}
