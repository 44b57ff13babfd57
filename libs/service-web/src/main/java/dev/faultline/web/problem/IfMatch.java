package dev.faultline.web.problem;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An {@code If-Match} header as RFC 9110 §13.1.1 defines it: {@code *}, or a comma-separated list
 * of entity tags, each {@code "..."} or weak {@code W/"..."}. It matches a current strong tag by
 * strong comparison (a weak tag never matches), {@code *} any current representation. Anything else
 * is malformed and refused as bad input before the request is taken on: controllers take the header
 * as an {@code IfMatch} (parsed by a converter as the arguments are bound, so a malformed one never
 * reaches the handler, let alone takes an idempotency key).
 */
public record IfMatch(boolean any, List<String> strongTags) {
  /** The parsed header, or null for none; throws {@link Rejections.InvalidIfMatch}. */
  public static @Nullable IfMatch parse(@Nullable String header) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (value.equals("*")) {
      return new IfMatch(true, List.of());
    }
    List<String> strong = new ArrayList<>();
    int i = 0;
    boolean expectTag = true;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (expectTag) {
        boolean weak = value.startsWith("W/", i);
        int open = weak ? i + 2 : i;
        if (open >= value.length() || value.charAt(open) != '"') {
          throw new Rejections.InvalidIfMatch(header);
        }
        int close = open + 1;
        while (close < value.length() && etagc(value.charAt(close))) {
          close++;
        }
        if (close >= value.length() || value.charAt(close) != '"') {
          throw new Rejections.InvalidIfMatch(header);
        }
        if (!weak) {
          strong.add(value.substring(open, close + 1));
        }
        i = close + 1;
        expectTag = false;
      } else if (c == ',') {
        i++;
        expectTag = true;
      } else {
        throw new Rejections.InvalidIfMatch(header);
      }
    }
    if (expectTag) {
      throw new Rejections.InvalidIfMatch(header); // empty, or a trailing comma
    }
    return new IfMatch(false, List.copyOf(strong));
  }

  /** Whether a resource whose current tag is {@code etag} satisfies the header. */
  public boolean matches(String etag) {
    return any || strongTags.contains(etag);
  }

  /** True when {@code condition} (null: none) lets a resource tagged {@code etag} through. */
  public static boolean allows(@Nullable IfMatch condition, String etag) {
    return condition == null || condition.matches(etag);
  }

  /** The condition as a header would say it, for messages. */
  @Override
  public String toString() {
    return any ? "*" : String.join(", ", strongTags);
  }

  private static boolean etagc(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80;
  }
}
