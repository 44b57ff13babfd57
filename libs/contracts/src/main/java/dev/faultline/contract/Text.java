package dev.faultline.contract;

/**
 * Free text a client names things with (a lock's holder): any letters, digits, marks, punctuation,
 * symbols and spaces, in any script, but no character of Unicode's "other" category: no controls (a
 * NUL, a newline that forges a log line), no format characters (a right-to-left override that makes
 * a name read as another), no unassigned or private-use code points, no lone surrogates.
 */
public final class Text {
  public static final String PRINTABLE = "[^\\p{C}]*";

  /** What a client is told when its text has such a character. */
  public static final String PRINTABLE_MESSAGE =
      "must not contain control, format, unassigned or private-use characters";

  private Text() {}
}
