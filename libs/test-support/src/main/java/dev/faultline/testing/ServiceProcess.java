package dev.faultline.testing;

import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.LogTail;
import dev.faultline.cluster.process.ServiceJvm;
import dev.faultline.cluster.process.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One of the suite's services, run from its module's jar as a separate process, as {@code
 * bin/suite} runs it: a test that needs another service (payment-service needs the lock service)
 * gets the real thing, which it can SIGKILL and restart on the same port. The module must be built
 * first: the test's module declares it as a {@code provided} dependency without its own
 * dependencies, which orders the reactor and puts nothing on the class path.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String module;
  private final int port;
  private final List<String> args;
  private final Map<String, String> env;
  private final Path dir;
  private @Nullable ProcessHandle process;

  private ServiceProcess(String module, List<String> args, Map<String, String> env) {
    this.module = module;
    this.port = TestProcesses.freePort();
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.dir = TestProcesses.newFixtureDir(module);
  }

  /**
   * Starts {@code module}'s jar with {@code args} (Spring Boot {@code --key=value}; the port is
   * added) and {@code env} (secrets go here), and waits until it is ready.
   */
  public static ServiceProcess start(String module, List<String> args, Map<String, String> env) {
    ServiceProcess service = new ServiceProcess(module, args, env);
    service.start();
    return service;
  }

  public int port() {
    return port;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** How to run a service against the test's servers: arguments, and secrets by environment. */
  public record Config(List<String> args, Map<String, String> env) {}

  public static ServiceProcess start(String module, Config config) {
    return start(module, config.args(), config.env());
  }

  /** Starts it again (after {@link #kill()}) on the same port, and waits until it is ready. */
  public synchronized void start() {
    startWith(Map.of());
  }

  /**
   * Starts it with extra environment for this run only: {@code FAULTLINE_FAILPOINTS} arms a
   * failpoint in this incarnation, and the next {@link #start()} runs without it.
   */
  public synchronized void startWith(Map<String, String> extraEnv) {
    if (process != null && process.isAlive()) {
      return;
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> serviceArgs = new ArrayList<>();
    serviceArgs.add("--server.port=" + port);
    serviceArgs.add("--faultline.instance-id=" + module + "-test-" + port);
    serviceArgs.addAll(args);
    List<String> command = ServiceJvm.command(java, jar(), serviceArgs);
    Map<String, String> environment = new HashMap<>(env);
    environment.putAll(extraEnv);
    Path log = dir.resolve(module + ".log");
    try {
      process =
          TestProcesses.INSTANCE.start(new LaunchSpec(module, command, dir, environment, log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(log);
  }

  /** SIGKILL, as a pod kill. */
  public synchronized void kill() {
    if (process != null) {
      Signals.kill(process);
      Signals.awaitExit(process, Duration.ofSeconds(10));
      TestProcesses.INSTANCE.forget(process);
      process = null;
    }
  }

  public boolean isAlive() {
    ProcessHandle p = process;
    return p != null && p.isAlive();
  }

  /** Waits for the process to exit by itself (a failpoint crash); true when it did. */
  public boolean awaitExit(Duration timeout) {
    ProcessHandle p = process;
    return p == null || Signals.awaitExit(p, timeout);
  }

  public Path log() {
    return dir.resolve(module + ".log");
  }

  private void awaitReady(Path log) {
    URI readiness = uri().resolve("/actuator/health/readiness");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException(module + " exited while starting:\n" + LogTail.of(log, 40));
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(module + " not ready in 120 s:\n" + LogTail.of(log, 40));
  }

  /** The module's jar in this checkout: {@code <module>/target/<module>.jar} above the test. */
  private Path jar() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path jar = dir.resolve(module).resolve("target").resolve(module + ".jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        module
            + ".jar not found above "
            + System.getProperty("user.dir")
            + ": build it first (./mvnw verify builds modules in order)");
  }

  @Override
  public void close() {
    ProcessHandle p = process;
    if (p != null) {
      try {
        Signals.stop(p, "TERM", Duration.ofSeconds(10));
      } catch (IOException e) {
        Signals.kill(p);
      }
      TestProcesses.INSTANCE.forget(p);
      process = null;
    }
    TestProcesses.delete(dir);
  }
}
