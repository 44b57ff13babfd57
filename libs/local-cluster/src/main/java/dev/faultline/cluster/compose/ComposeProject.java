package dev.faultline.cluster.compose;

import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.process.Commands;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The suite's container stack as {@code docker-compose.yml} runs it, seen through the Docker CLI:
 * its containers by service name (compose's own labels, the same for {@code docker compose} v2 and
 * {@code docker-compose} 1.29), a container's kill and start as a pod's, tokens minted with the
 * stack's signing key inside its secrets image (the key never leaves its volume), the database
 * credentials, and a database port forwarded through a container ({@link ExecTunnel}). The stack's
 * name is {@code COMPOSE_PROJECT_NAME}, else the one in the repository's {@code .env}.
 */
public final class ComposeProject implements AutoCloseable {
  private static final String PROJECT_LABEL = "com.docker.compose.project";
  private static final String SERVICE_LABEL = "com.docker.compose.service";
  private static final String ONE_OFF_LABEL = "com.docker.compose.oneoff";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final Map<String, ExecTunnel> tunnels = new ConcurrentHashMap<>();
  private volatile @Nullable PostgresCredentials credentials;

  public ComposeProject(String name) {
    if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new IllegalArgumentException("not a compose project name: '" + name + "'");
    }
    this.name = name;
  }

  /** The stack {@code docker compose} in {@code repo} would address. */
  public static ComposeProject locate(Path repo) throws IOException {
    String fromEnv = System.getenv("COMPOSE_PROJECT_NAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new ComposeProject(fromEnv.trim());
    }
    Path dotEnv = repo.resolve(".env");
    if (Files.exists(dotEnv)) {
      for (String line : Files.readAllLines(dotEnv)) {
        if (line.startsWith("COMPOSE_PROJECT_NAME=")) {
          return new ComposeProject(line.substring(line.indexOf('=') + 1).trim());
        }
      }
    }
    return new ComposeProject(
        repo.toAbsolutePath().getFileName().toString().toLowerCase(java.util.Locale.ROOT));
  }

  public String name() {
    return name;
  }

  /**
   * One container of the stack: {@code health} is Docker's health status ({@code healthy}, {@code
   * starting}, {@code unhealthy}) or {@code none} for one without a check.
   */
  public record Container(String id, String service, String state, String health, String image) {
    public boolean running() {
      return state.equals("running");
    }

    public boolean healthy() {
      return running() && (health.equals("healthy") || health.equals("none"));
    }
  }

  /** Every container of the stack (not one-off {@code run} containers), by service name. */
  public List<Container> containers() throws IOException {
    String ids =
        docker(
            Duration.ofSeconds(30),
            "ps",
            "-aq",
            "--no-trunc",
            "--filter",
            "label=" + PROJECT_LABEL + "=" + name,
            "--filter",
            "label=" + ONE_OFF_LABEL + "=False");
    List<String> idList = ids.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (idList.isEmpty()) {
      return List.of();
    }
    // The whole JSON, parsed here: format templates differ between Docker clients (a missing
    // State.Health is an error to some).
    List<String> command = new ArrayList<>(List.of("inspect"));
    command.addAll(idList);
    List<Container> containers = new ArrayList<>();
    for (JsonNode c :
        JSON.readTree(docker(Duration.ofSeconds(30), command.toArray(String[]::new)))) {
      JsonNode state = c.path("State");
      JsonNode health = state.path("Health").path("Status");
      containers.add(
          new Container(
              c.path("Id").asString(),
              c.path("Config").path("Labels").path(SERVICE_LABEL).asString(),
              state.path("Status").asString(),
              health.isMissingNode() || health.isNull() ? "none" : health.asString(),
              c.path("Config").path("Image").asString()));
    }
    return containers;
  }

  public Optional<Container> container(String service) throws IOException {
    return containers().stream().filter(c -> c.service().equals(service)).findFirst();
  }

  private Container require(String service) throws IOException {
    return container(service)
        .orElseThrow(
            () ->
                new IOException(
                    "the stack "
                        + name
                        + " has no container "
                        + service
                        + " (is it up? docker compose up -d)"));
  }

  /** SIGKILL to the container's first process, as a pod kill; returns once it has stopped. */
  public void kill(String service) throws IOException {
    Container container = require(service);
    docker(Duration.ofSeconds(30), "kill", "--signal", "KILL", container.id());
    await(service, c -> !c.running(), Duration.ofSeconds(30), "stopped");
  }

  /** Freezes every process of the container (the freezer cgroup), as a stopped VM. */
  public void pause(String service) throws IOException {
    docker(Duration.ofSeconds(30), "pause", require(service).id());
  }

  /** Lets a paused container run on. */
  public void unpause(String service) throws IOException {
    docker(Duration.ofSeconds(30), "unpause", require(service).id());
  }

  /** Starts a stopped container again; returns once it is healthy. */
  public void start(String service, Duration timeout) throws IOException {
    Container container = require(service);
    docker(Duration.ofSeconds(60), "start", container.id());
    await(service, Container::healthy, timeout, "healthy");
  }

  private void await(
      String service,
      java.util.function.Predicate<Container> condition,
      Duration timeout,
      String what)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Container now = require(service);
      if (condition.test(now)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            service
                + " is not "
                + what
                + " after "
                + timeout
                + " ("
                + now.state()
                + ", "
                + now.health()
                + ")");
      }
      sleep(Duration.ofMillis(500));
    }
  }

  /**
   * A bearer token minted in a one-off container of the stack's secrets image, with the signing key
   * from its volume, as {@code bin/suite token} mints one from {@code .suite/keys}.
   */
  public String token(@Nullable String subject, boolean admin, Duration ttl) throws IOException {
    String image = require("secrets").image();
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--network",
                "none",
                "-v",
                name + "_signing-key:/secrets/signing:ro",
                image,
                "token",
                "/secrets",
                "--ttl-hours",
                Long.toString(Math.max(1, ttl.toHours()))));
    if (subject != null) {
      command.addAll(List.of("--customer", subject));
    }
    if (admin) {
      command.add("--admin");
    }
    return docker(Duration.ofSeconds(60), command.toArray(String[]::new)).trim();
  }

  /** The PostgreSQL roles' passwords, as the stack's PostgreSQL nodes read them. */
  public PostgresCredentials postgresCredentials() throws IOException {
    PostgresCredentials known = credentials;
    if (known != null) {
      return known;
    }
    Container node =
        containers().stream()
            .filter(c -> c.service().startsWith("pg-") && c.running())
            .findFirst()
            .orElseThrow(() -> new IOException("no PostgreSQL container of " + name + " runs"));
    known =
        PostgresCredentials.read(
            new StringReader(
                docker(
                    Duration.ofSeconds(30),
                    "exec",
                    node.id(),
                    "cat",
                    "/etc/faultline/postgres.properties")));
    credentials = known;
    return known;
  }

  /**
   * A local port that reaches {@code port} inside {@code service}'s container, as {@code kubectl
   * port-forward} reaches a pod's: nothing of the stack but its gateway is published.
   */
  public ExecTunnel tunnel(String service, int port) throws IOException {
    String key = service + ":" + port;
    ExecTunnel existing = tunnels.get(key);
    if (existing != null) {
      return existing;
    }
    ExecTunnel created = ExecTunnel.open(service, port, new ContainerExec(service));
    ExecTunnel raced = tunnels.putIfAbsent(key, created);
    if (raced != null) {
      created.close();
      return raced;
    }
    return created;
  }

  /**
   * {@code docker exec -i} into {@code service}'s container: the same container across kill and
   * start, asked for again after a connection that got nothing back (it may have been recreated).
   */
  private final class ContainerExec implements ExecTunnel.Exec {
    private final String service;
    private volatile @Nullable String id;

    ContainerExec(String service) {
      this.service = service;
    }

    @Override
    public List<String> command(String script) throws IOException {
      String known = id;
      if (known == null) {
        known = id(service);
        id = known;
      }
      return List.of("docker", "exec", "-i", known, "bash", "-c", script);
    }

    @Override
    public void forget() {
      id = null;
    }
  }

  /** Container ID of {@code service} now (it is the same container across kill and start). */
  String id(String service) throws IOException {
    return require(service).id();
  }

  @Override
  public void close() {
    tunnels.values().forEach(ExecTunnel::close);
    tunnels.clear();
  }

  /** Runs {@code docker ARGS}; its standard output, or an exception with its error output. */
  public static String docker(Duration timeout, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    return Commands.output(command, timeout, UnaryOperator.identity());
  }

  /** True when a Docker engine answers this machine's {@code docker} CLI. */
  public static boolean engineAvailable() {
    try {
      docker(Duration.ofSeconds(20), "version", "--format", "{{.Server.Version}}");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
