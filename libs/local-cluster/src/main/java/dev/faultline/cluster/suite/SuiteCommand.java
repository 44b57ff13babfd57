package dev.faultline.cluster.suite;

import dev.faultline.cluster.process.Commands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/suite} run the way a user types it in the repository, for the suite at {@code home}
 * and {@code ports} (their {@code SUITE_HOME} and {@code SUITE_PORT_OFFSET}), so a harness drives
 * the very commands the README documents.
 */
public record SuiteCommand(SuiteHome home, SuitePorts ports) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One row of {@code bin/suite status --json}. */
  public record Member(String name, @Nullable Integer pid, int port, String role, boolean healthy) {
    public boolean running() {
      return pid != null;
    }
  }

  public static SuiteCommand fromEnvironment() {
    return new SuiteCommand(SuiteHome.fromEnvironment(), SuitePorts.fromEnvironment());
  }

  /** Runs {@code bin/suite ARGS} to its end; its exit code and output (stderr folded in). */
  public Commands.Result run(Duration timeout, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.repo().resolve("bin/suite").toString());
    command.addAll(List.of(args));
    return Commands.run(
        command,
        home.repo(),
        Map.of(
            "SUITE_HOME", home.root().toString(),
            "SUITE_PORT_OFFSET", Integer.toString(ports.offset())),
        timeout);
  }

  /** Runs {@code bin/suite ARGS}; its output, or an exception with its output when it fails. */
  public String ok(Duration timeout, String... args) throws IOException {
    Commands.Result result = run(timeout, args);
    if (result.exitCode() != 0) {
      throw new IOException(
          "bin/suite "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ": "
              + result.output());
    }
    return result.output();
  }

  /** {@code bin/suite status --json}: every member, running or not. */
  public List<Member> status() throws IOException {
    List<Member> rows = new ArrayList<>();
    for (JsonNode row : JSON.readTree(ok(Duration.ofSeconds(60), "status", "--json"))) {
      rows.add(
          new Member(
              row.get("name").asString(),
              row.get("pid").isNull() ? null : row.get("pid").asInt(),
              row.get("port").asInt(),
              row.get("role").asString(),
              row.get("healthy").asBoolean()));
    }
    return rows;
  }
}
