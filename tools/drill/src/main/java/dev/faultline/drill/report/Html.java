package dev.faultline.drill.report;

/** Text made safe to put in HTML (and SVG) text and attribute values. */
final class Html {
  private Html() {}

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
