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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
  private final URI gateway;
  private final Path home;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public ComposeSuite(ComposeProject project, URI gateway, Path home) {
    this.project = project;
    this.gateway = gateway;
    this.home = home;
  }

  public static ComposeSuite fromEnvironment() throws IOException {
    Path repo = Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
    String port = System.getenv("GATEWAY_PORT");
    String home = System.getenv("SUITE_HOME");
    return new ComposeSuite(
        ComposeProject.locate(repo),
        URI.create("http://127.0.0.1:" + (port == null || port.isBlank() ? "8080" : port.trim())),
        home == null || home.isBlank() ? repo.resolve(".suite") : Path.of(home).toAbsolutePath());
  }

  @Override
  public URI prometheus() {
    String port = System.getenv("PROMETHEUS_PORT");
    return URI.create(
        "http://127.0.0.1:" + (port == null || port.isBlank() ? "9090" : port.trim()));
  }

  public ComposeProject project() {
    return project;
  }

  @Override
  public String target() {
    return "compose";
  }

  @Override
  public URI gateway() {
    return gateway;
  }

  @Override
  public Path drills() {
    return home.resolve("drills");
  }

  /** Minted once per subject and kind: each mint is a one-off container. */
  @Override
  public String token(String subject, boolean admin) throws IOException {
    String key = (admin ? "admin:" : "customer:") + subject;
    String known = tokens.get(key);
    if (known != null) {
      return known;
    }
    String minted = project.token(subject, admin, Duration.ofHours(6));
    tokens.put(key, minted);
    return minted;
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
