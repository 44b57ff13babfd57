package dev.faultline.e2e.tour;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A page's blocks as one bash script (so that what a block exports, the next one sees, as in the
 * reader's terminal), each preceded by a marker line, and the verdict on what it printed: every
 * block ran, the script ended well, and each block's output shows what the page says it will.
 */
public final class TourScript {
  private static final String MARKER = "@@tour-step ";
  private static final String DONE = "@@tour-done";
  private static final Pattern LOCAL_ADDRESS =
      Pattern.compile("\\b(localhost|127\\.0\\.0\\.1):(\\d{4,5})\\b");

  private TourScript() {}

  /**
   * The script for {@code page}; {@code rewrite} adapts each block to where it runs (the test's
   * suite listens on shifted ports).
   */
  public static String of(TourPage page, UnaryOperator<String> rewrite) {
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (int i = 0; i < page.steps().size(); i++) {
      script.append("echo '").append(MARKER).append(i).append("'\n");
      script.append(rewrite.apply(page.steps().get(i).commands())).append('\n');
    }
    return script.append("echo '").append(DONE).append("'\n").toString();
  }

  /**
   * The suite's addresses in a block moved by {@code offset}: a test's suite listens on shifted
   * ports (SUITE_PORT_OFFSET) so that a developer's own suite is left alone, while a page shows the
   * ports a reader's suite has.
   */
  public static UnaryOperator<String> shiftPorts(int offset) {
    return commands ->
        LOCAL_ADDRESS
            .matcher(commands)
            .replaceAll(m -> m.group(1) + ":" + (Integer.parseInt(m.group(2)) + offset));
  }

  /** What is wrong with a run of {@link #of}'s script: nothing when the page holds. */
  public static List<String> check(TourPage page, String output, int exitCode) {
    Map<Integer, StringBuilder> printed = new HashMap<>();
    StringBuilder current = null;
    boolean done = false;
    for (String line : output.lines().toList()) {
      if (line.startsWith(MARKER)) {
        current =
            printed.computeIfAbsent(
                Integer.parseInt(line.substring(MARKER.length()).strip()),
                i -> new StringBuilder());
      } else if (line.equals(DONE)) {
        done = true;
        current = null;
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < page.steps().size(); i++) {
      TourPage.Step step = page.steps().get(i);
      String where = page.file().getFileName() + ":" + step.line();
      StringBuilder out = printed.get(i);
      if (out == null) {
        problems.add(where + ": never ran (a block before it failed)");
        continue;
      }
      if (!done && !printed.containsKey(i + 1)) {
        problems.add(where + ": exited " + exitCode + "; it printed:\n" + out);
        continue;
      }
      for (Pattern expected : step.expected()) {
        if (!expected.matcher(out).find()) {
          problems.add(where + ": expected /" + expected + "/; it printed:\n" + out);
        }
      }
    }
    return problems;
  }
}
