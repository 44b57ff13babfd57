package dev.faultline.drill.suite;

import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.cluster.postgres.NodeAddress;
import dev.faultline.drill.fault.ComposeFaults;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The suite as {@code docker-compose.yml} runs it: its gateway on the published port ({@code
 * GATEWAY_PORT}, default 8080), tokens minted with the stack's key inside its secrets image, its
 * databases reached through their containers ({@link dev.faultline.cluster.compose.ExecTunnel}),
 * and its containers killed and started by the Docker CLI ({@link ComposeFaults}). Reports go where
 * the local suite's do ({@code SUITE_HOME}, default {@code .suite/}).
 */
public final class ComposeSuite implements Deployment, AutoCloseable {
  /** Containers that run once and exit: never part of "steady". */
  private static final List<String> ONE_SHOT = List.of("secrets");

  private final ComposeProject project;
  private final Endpoints endpoints;
  private final TokenCache tokens;

  public ComposeSuite(ComposeProject project, Endpoints endpoints) {
    this.project = project;
    this.endpoints = endpoints;
    // Each mint is a one-off container.
    this.tokens =
        new TokenCache((subject, admin) -> project.token(subject, admin, Duration.ofHours(6)));
  }

  public static ComposeSuite fromEnvironment() throws IOException {
    Path repo = Endpoints.repo();
    return new ComposeSuite(
        ComposeProject.locate(repo),
        new Endpoints(
            "compose",
            URI.create("http://127.0.0.1:" + Endpoints.env("GATEWAY_PORT", "8080")),
            URI.create("http://127.0.0.1:" + Endpoints.env("PROMETHEUS_PORT", "9090")),
            Endpoints.drillsUnderSuiteHome(repo)));
  }

  public ComposeProject project() {
    return project;
  }

  @Override
  public Endpoints endpoints() {
    return endpoints;
  }

  @Override
  public String token(String subject, boolean admin) throws IOException {
    return tokens.token(subject, admin);
  }

  @Override
  public Connection database(String address) throws IOException, SQLException {
    NodeAddress node = NodeAddress.parse(address);
    // The topology names a node by its service on the stack's network.
    String local = project.tunnel(node.host(), node.port()).localAddress();
    // A little longer than on this machine: each connection starts a docker exec first.
    return Deployment.appConnection(
        local, project.postgresCredentials(), Duration.ofSeconds(5), Duration.ofSeconds(15));
  }

  @Override
  public FaultActions faults(Gateway gateway, String adminToken) {
    return new ComposeFaults(this, gateway, adminToken);
  }

  @Override
  public Optional<String> notRunning() throws IOException {
    if (!ComposeProject.engineAvailable()) {
      return Optional.of("no Docker engine answers (README: Containers)");
    }
    boolean any =
        project.containers().stream().anyMatch(c -> c.running() && !ONE_SHOT.contains(c.service()));
    return any
        ? Optional.empty()
        : Optional.of(
            "the stack "
                + project.name()
                + " is not running: bin/suite images, then docker compose up -d");
  }

  @Override
  public String startCommand() {
    return "docker compose start NAME";
  }

  @Override
  public List<String> unhealthy() throws IOException {
    return project.containers().stream()
        .filter(c -> !ONE_SHOT.contains(c.service()))
        .filter(c -> !c.healthy())
        .map(ComposeProject.Container::service)
        .sorted()
        .toList();
  }

  @Override
  public void close() {
    project.close();
  }
}
