package dev.faultline.drill.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLogTests {

  @Test
  void whatIsWrittenReadsBackAsTheSameHistory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d/history.jsonl");
    History written;
    try (HistoryLog log = HistoryLog.create(file)) {
      long a = log.invoke("place-order", Map.of("customer", "c1", "key", "k-1"));
      long b = log.invoke("deposit", Map.of("account", "acc", "amountCents", "500"));
      log.fault("kill", "zk-2");
      log.complete(a, Event.Outcome.OK, Map.of("id", "o-1", "status", "CONFIRMED"));
      log.complete(b, Event.Outcome.UNKNOWN, Map.of("http", "0"));
      written = log.history();
    }

    History read = HistoryLog.read(file);

    assertThat(read).isEqualTo(written);
    assertThat(Files.readAllLines(file))
        .hasSize(5)
        .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"fault\",\"action\":\"kill\""))
        .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"unknown\""));
    assertThat(read.operations())
        .extracting(History.Operation::kind)
        .containsExactly("place-order", "deposit");
    assertThat(read.operations().get(0).result("status")).isEqualTo("CONFIRMED");
    assertThat(read.faults()).singleElement().extracting(Event.Fault::target).isEqualTo("zk-2");
  }

  @Test
  void anOperationTheDrillNeverSawEndIsUnknown(@TempDir Path dir) throws Exception {
    try (HistoryLog log = HistoryLog.create(dir.resolve("history.jsonl"))) {
      log.invoke("cancel-order", Map.of("id", "o-1"));

      History.Operation op = log.history().operations().getFirst();
      assertThat(op.is(Event.Outcome.UNKNOWN)).isTrue();
      assertThat(op.latencyMillis()).isEqualTo(-1);
    }
  }
}
