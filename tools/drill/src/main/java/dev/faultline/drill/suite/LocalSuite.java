package dev.faultline.drill.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.fault.LocalSuiteFaults;
import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local suite as {@code bin/suite} runs it: where its state is ({@code SUITE_HOME}, default
 * {@code .suite/}), its gateway (ports shifted by {@code SUITE_PORT_OFFSET}), tokens signed with
 * its keys, its database credentials, and {@code bin/suite} itself for process control.
 */
public record LocalSuite(Path repo, Path home, int portOffset) implements Deployment {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static LocalSuite fromEnvironment() {
    Path repo = Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
    String home = System.getenv("SUITE_HOME");
    String offset = System.getenv("SUITE_PORT_OFFSET");
    return new LocalSuite(
        repo,
        home == null || home.isBlank() ? repo.resolve(".suite") : Path.of(home).toAbsolutePath(),
        offset == null || offset.isBlank() ? 0 : Integer.parseInt(offset.trim()));
  }

  @Override
  public String target() {
    return "local";
  }

  @Override
  public URI gateway() {
    return URI.create("http://127.0.0.1:" + (8080 + portOffset));
  }

  @Override
  public URI prometheus() {
    return URI.create("http://127.0.0.1:" + (9090 + portOffset));
  }

  @Override
  public Path drills() {
    return home.resolve("drills");
  }

  @Override
  public String token(String subject, boolean admin) throws IOException {
    Path keys = home.resolve("keys");
    if (!Files.exists(keys.resolve(SigningKeys.PRIVATE_FILE))) {
      throw new IOException("no suite under " + home + ": run bin/suite up first");
    }
    Duration ttl = Duration.ofHours(6);
    return new TokenMinter(SigningKeys.loadOrCreate(keys), Clock.systemUTC())
        .mint(admin ? TokenRequest.admin(subject, ttl) : TokenRequest.customer(subject, ttl));
  }

  @Override
  public Connection database(String address) throws IOException, SQLException {
    Path secrets = home.resolve("secrets").resolve("postgres.properties");
    if (!Files.exists(secrets)) {
      throw new IOException("no database credentials under " + home + ": run bin/suite up first");
    }
    return Deployment.appConnection(
        address,
        PostgresCredentials.loadOrCreate(secrets),
        Duration.ofSeconds(3),
        Duration.ofSeconds(10));
  }

  @Override
  public FaultActions faults(Gateway gateway, String adminToken) {
    return new LocalSuiteFaults(this, gateway, adminToken);
  }

  @Override
  public Optional<String> notRunning() throws IOException {
    return status().stream().allMatch(p -> p.pid() == null)
        ? Optional.of("the suite is not running: start it with bin/suite up")
        : Optional.empty();
  }

  @Override
  public String startCommand() {
    return "bin/suite start NAME";
  }

  @Override
  public List<String> unhealthy() throws IOException {
    return status().stream().filter(p -> !p.healthy()).map(Process::name).toList();
  }

  /** One row of {@code bin/suite status --json}. */
  public record Process(String name, Integer pid, int port, String role, boolean healthy) {}

  public List<Process> status() throws IOException {
    String out = suite(Duration.ofSeconds(60), "status", "--json");
    List<Process> rows = new ArrayList<>();
    for (JsonNode row : JSON.readTree(out)) {
      rows.add(
          new Process(
              row.get("name").asString(),
              row.get("pid").isNull() ? null : row.get("pid").asInt(),
              row.get("port").asInt(),
              row.get("role").asString(),
              row.get("healthy").asBoolean()));
    }
    return rows;
  }

  /** Runs {@code bin/suite ARGS}; its output, or an exception with its log when it fails. */
  public String suite(Duration timeout, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("bin/suite").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SUITE_HOME", home.toString());
    builder.environment().put("SUITE_PORT_OFFSET", Integer.toString(portOffset));
    java.lang.Process p = builder.start();
    try {
      // Drain as it runs: a full pipe would block bin/suite.
      var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("bin/suite " + String.join(" ", args) + " took over " + timeout);
      }
      String text = output.join();
      if (p.exitValue() != 0) {
        throw new IOException(
            "bin/suite " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String read(java.lang.Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
