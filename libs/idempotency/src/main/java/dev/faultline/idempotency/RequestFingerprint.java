package dev.faultline.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What makes two requests "the same" for a key: the operation (method and path) and the request
 * body as JSON, canonicalised (object members sorted, no insignificant whitespace), hashed with
 * SHA-256. Reordered members or reformatted JSON are the same request; any changed value is not.
 */
public final class RequestFingerprint {
  private RequestFingerprint() {}

  public static String of(String operation, JsonNode body) {
    StringBuilder canonical = new StringBuilder(operation).append('\n');
    append(canonical, body);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The canonical text of a JSON tree (visible for tests). */
  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(out, node);
    return out.toString();
  }

  private static void append(StringBuilder out, JsonNode node) {
    if (node.isObject()) {
      List<String> names = node.propertyNames().stream().sorted().toList();
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendString(out, names.get(i));
        out.append(':');
        append(out, node.get(names.get(i)));
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      int i = 0;
      for (JsonNode element : node.values()) {
        if (i++ > 0) {
          out.append(',');
        }
        append(out, element);
      }
      out.append(']');
    } else if (node.isString()) {
      appendString(out, node.asString());
    } else if (node.isMissingNode()) {
      out.append("null");
    } else {
      out.append(node.toString()); // numbers, booleans, null: Jackson's text is already canonical
    }
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
