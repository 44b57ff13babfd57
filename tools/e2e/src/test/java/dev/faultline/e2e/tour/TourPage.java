package dev.faultline.e2e.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One page of the concept tour ({@code docs/concepts/}), as the tour's test reads it: the page's
 * runnable blocks in order. A block fenced as {@code ```bash tour} is run; a {@code ```text expect}
 * block right after it holds what its output must show, one regular expression per line, each found
 * somewhere in the output. So a page says what the reader will see, and a test sees it too.
 */
public record TourPage(Path file, List<Step> steps) {
  private static final String RUN = "```bash tour";
  private static final String EXPECT = "```text expect";
  private static final String FENCE = "```";

  /** A runnable block: its fence's line (1-based), its commands, what its output must show. */
  public record Step(int line, String commands, List<Pattern> expected) {}

  public static TourPage read(Path file) throws IOException {
    return parse(file, Files.readString(file));
  }

  static TourPage parse(Path file, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals(RUN)) {
        continue;
      }
      int start = i + 1;
      int end = closing(lines, start, file);
      String commands = String.join("\n", lines.subList(start, end));
      List<Pattern> expected = new ArrayList<>();
      int next = end + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      if (next < lines.size() && lines.get(next).strip().equals(EXPECT)) {
        int expectEnd = closing(lines, next + 1, file);
        for (String pattern : lines.subList(next + 1, expectEnd)) {
          if (!pattern.isBlank()) {
            expected.add(Pattern.compile(pattern.strip()));
          }
        }
        end = expectEnd;
      }
      steps.add(new Step(start, commands, List.copyOf(expected)));
      i = end;
    }
    return new TourPage(file, List.copyOf(steps));
  }

  private static int closing(List<String> lines, int from, Path file) {
    for (int j = from; j < lines.size(); j++) {
      if (lines.get(j).strip().equals(FENCE)) {
        return j;
      }
    }
    throw new IllegalArgumentException(file + ": the block at line " + from + " is never closed");
  }
}
