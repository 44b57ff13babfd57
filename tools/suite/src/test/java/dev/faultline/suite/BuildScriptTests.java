package dev.faultline.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/build.sh, which bin/suite and bin/bench source: builds take turns, and a tool counts as
 * stale when any module it is built from changed, not only its own.
 */
class BuildScriptTests {
  private static final Path SCRIPT =
      Path.of(System.getProperty("suite.repo", "../.."))
          .resolve("bin/lib/build.sh")
          .toAbsolutePath();

  private static Process bash(Path root, String script) throws IOException {
    return new ProcessBuilder(
            "bash", "-c", "set -euo pipefail; ROOT='" + root + "'; . '" + SCRIPT + "'; " + script)
        .redirectErrorStream(true)
        .start();
  }

  private static String run(Path root, String script) throws Exception {
    Process p = bash(root, script);
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.trim() + " rc=" + p.exitValue();
  }

  @Test
  void twoBuildsStartedTogetherTakeTurns(@TempDir Path root) throws Exception {
    Path log = root.resolve("log");
    List<Process> builds = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      builds.add(
          bash(
              root,
              "locked_build sh -c 'echo start "
                  + name
                  + " >> "
                  + log
                  + "; sleep 1; echo end "
                  + name
                  + " >> "
                  + log
                  + "'"));
    }
    for (Process p : builds) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(4);
    // Without the lock both start before either ends.
    assertThat(lines.get(0).replace("start", "end")).isEqualTo(lines.get(1));
    assertThat(lines.get(2).replace("start", "end")).isEqualTo(lines.get(3));
  }

  @Test
  void aToolIsStaleWhenAnyModuleItIsBuiltFromChanged(@TempDir Path root) throws Exception {
    Files.writeString(
        root.resolve("pom.xml"),
        "<modules>\n    <module>libs/used</module>\n    <module>libs/unused</module>\n"
            + "    <module>tools/tool</module>\n</modules>\n");
    Path usedSource = write(root, "libs/used/src/main/java/Used.java");
    Path unusedSource = write(root, "libs/unused/src/main/java/Unused.java");
    Path toolSource = write(root, "tools/tool/src/main/java/Tool.java");
    write(root, "libs/used/pom.xml");
    write(root, "tools/tool/pom.xml");
    write(root, "tools/tool/target/lib/used-0.1.0-SNAPSHOT.jar");
    for (Path p : List.of(root.resolve("pom.xml"), usedSource, unusedSource, toolSource)) {
      age(p, 3600);
    }
    age(root.resolve("libs/used/pom.xml"), 3600);
    age(root.resolve("tools/tool/pom.xml"), 3600);
    Path jar = write(root, "tools/tool/target/tool.jar");
    String stale = "if tool_stale tools/tool " + jar + "; then echo stale; else echo fresh; fi";

    assertThat(run(root, stale)).isEqualTo("fresh rc=0");
    Files.setLastModifiedTime(unusedSource, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(run(root, stale)).as("a module the tool does not use").isEqualTo("fresh rc=0");
    Files.setLastModifiedTime(usedSource, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(run(root, stale)).as("a library the tool is built from").isEqualTo("stale rc=0");

    // A build here leaves a stamp; the unchanged jar Maven did not rewrite is then fresh.
    Files.setLastModifiedTime(
        write(root, "tools/tool/target/build.stamp"), FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(run(root, stale)).isEqualTo("fresh rc=0");
    Files.delete(jar);
    assertThat(run(root, stale)).as("no jar at all").isEqualTo("stale rc=0");
  }

  private static Path write(Path root, String file) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "x");
    return p;
  }

  private static void age(Path p, long seconds) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(seconds)));
  }
}
