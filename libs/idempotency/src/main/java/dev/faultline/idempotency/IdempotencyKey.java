package dev.faultline.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * The value of an {@code Idempotency-Key} header. The draft makes it a Structured Field string
 * ({@code "8e03978e-..."}, quoted); the bare form that most clients send is accepted too. 1-255
 * visible ASCII characters.
 */
public record IdempotencyKey(String value) {
  public static final String HEADER = "Idempotency-Key";
  private static final int MAX_LENGTH = 255;

  public IdempotencyKey {
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IdempotencyKeyException.Invalid("must be 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IdempotencyKeyException.Invalid("must be visible ASCII characters");
      }
    }
  }

  /** Parses the header; a missing or empty one is {@link IdempotencyKeyException.Missing}. */
  public static IdempotencyKey parse(@Nullable String header) {
    if (header == null || header.isBlank()) {
      throw new IdempotencyKeyException.Missing();
    }
    String raw = header.strip();
    if (!raw.startsWith("\"")) {
      if (raw.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\\')) {
        throw new IdempotencyKeyException.Invalid(
            "a bare key has no spaces, quotes or backslashes; quote it as a string");
      }
      return new IdempotencyKey(raw);
    }
    // sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE (RFC 8941 section 3.3.3)
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        if (i + 1 >= raw.length() || (raw.charAt(i + 1) != '"' && raw.charAt(i + 1) != '\\')) {
          throw new IdempotencyKeyException.Invalid("only \\\" and \\\\ may be escaped");
        }
        value.append(raw.charAt(++i));
      } else if (c == '"') {
        if (i != raw.length() - 1) {
          throw new IdempotencyKeyException.Invalid("text after the closing quote");
        }
        return new IdempotencyKey(value.toString());
      } else {
        value.append(c);
      }
    }
    throw new IdempotencyKeyException.Invalid("the quoted key has no closing quote");
  }
}
