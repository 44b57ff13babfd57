package dev.faultline.monitoring.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL's lexical structure for the dashboard rules: the series selectors of an
 * expression (metric name and matchers) and the range of every range vector. Strings, label lists
 * after {@code by}/{@code on}/... and function names are told apart from metric names.
 */
final class PromQl {
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "atan2");

  /** Aggregations, which may take their by/without clause before the parenthesis. */
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile");

  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private PromQl() {}

  /** A series selector: the metric name ("" for a bare {@code {...}}) and its matchers' text. */
  record Selector(String metric, String matchers) {}

  static List<Selector> selectors(String expr) {
    List<Selector> selectors = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
      } else if (c == '{') {
        int end = expr.indexOf('}', i);
        selectors.add(new Selector("", expr.substring(i + 1, end)));
        i = end + 1;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < expr.length()
            && (Character.isLetterOrDigit(expr.charAt(i)) || "_:".indexOf(expr.charAt(i)) >= 0)) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        if (LABEL_LISTS.contains(word)) {
          if (next < expr.length() && expr.charAt(next) == '(') {
            i = expr.indexOf(')', next) + 1;
          }
        } else if (KEYWORDS.contains(word)
            || AGGREGATIONS.contains(word)
            || (next < expr.length() && expr.charAt(next) == '(')) {
          // A keyword or a function call.
        } else if (start > 0 && Character.isDigit(expr.charAt(start - 1))) {
          // The exponent or unit of a number: 1e-9, 5m.
        } else if (next < expr.length() && expr.charAt(next) == '{') {
          int end = expr.indexOf('}', next);
          selectors.add(new Selector(word, expr.substring(next + 1, end)));
          i = end + 1;
        } else {
          selectors.add(new Selector(word, ""));
        }
      } else {
        i++;
      }
    }
    return selectors;
  }

  /** The text between the brackets of every range vector and subquery. */
  static List<String> ranges(String expr) {
    List<String> ranges = new ArrayList<>();
    Matcher range = RANGE.matcher(blankStrings(expr));
    while (range.find()) {
      ranges.add(expr.substring(range.start(1), range.end(1)));
    }
    return ranges;
  }

  private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");

  /** {@code expr} with every string literal's characters replaced by spaces, its length kept. */
  private static String blankStrings(String expr) {
    StringBuilder out = new StringBuilder(expr);
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int end = Math.min(skipString(expr, i), expr.length());
        for (int j = i; j < end; j++) {
          out.setCharAt(j, ' ');
        }
        i = end - 1;
      }
    }
    return out.toString();
  }

  private static int skipString(String expr, int i) {
    char quote = expr.charAt(i);
    int j = i + 1;
    while (j < expr.length() && expr.charAt(j) != quote) {
      j += expr.charAt(j) == '\\' ? 2 : 1;
    }
    return j + 1;
  }

  private static int skipSpace(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }
}
