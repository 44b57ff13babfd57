package dev.faultline.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTests {

  @Test
  void findsTheRecordedProcessWhileItLives(@TempDir Path dir) throws Exception {
    PidFile file = new PidFile(dir.resolve("me.pid"));
    file.write(ProcessHandle.current());
    assertThat(file.live()).hasValue(ProcessHandle.current());
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotOurProcess(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("stale.pid");
    // Our own pid, but recorded with a start time a day earlier: the pid was reused.
    long dayAgo =
        ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() - 86_400_000L;
    Files.writeString(path, ProcessHandle.current().pid() + " " + dayAgo + "\n");
    assertThat(new PidFile(path).live()).isEmpty();
  }

  @Test
  void missingOrGarbledFilesMeanNothingRuns(@TempDir Path dir) throws Exception {
    assertThat(new PidFile(dir.resolve("none.pid")).live()).isEmpty();
    Files.writeString(dir.resolve("bad.pid"), "not a pid");
    assertThat(new PidFile(dir.resolve("bad.pid")).live()).isEmpty();
  }
}
