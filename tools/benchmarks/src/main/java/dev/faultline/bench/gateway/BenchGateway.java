package dev.faultline.bench.gateway;

import dev.faultline.bench.RunningSuite;
import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.ProcessLauncher;
import dev.faultline.cluster.process.ServiceJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway process of the bench's own, from the suite's gateway jar with the suite's JVM flags,
 * against the running suite's ZooKeeper (so it finds the same service instances) but not registered
 * in it, with settings of the bench's choosing: two configurations measured side by side in one
 * run, with nothing else routed through them. Stopped (SIGTERM, then SIGKILL) on close.
 */
final class BenchGateway implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final ProcessHandle process;

  private BenchGateway(String name, int port, ProcessHandle process) {
    this.name = name;
    this.port = port;
    this.process = process;
  }

  /** Starts {@code name} on {@code port} with {@code settings} ({@code --key=value}) and waits. */
  static BenchGateway start(RunningSuite suite, String name, int port, List<String> settings)
      throws IOException, InterruptedException {
    Path jar = suite.home().jar("gateway");
    if (!Files.exists(jar)) {
      throw new IOException(jar + " is missing: bin/suite up builds it");
    }
    // A copy of its own, so a rebuild while the bench runs does not pull the jar from under it.
    Path copy = suite.home().root().resolve("bench").resolve(name + ".jar");
    Files.createDirectories(copy.getParent());
    Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--faultline.instance-id=" + name);
    args.add("--spring.cloud.zookeeper.connect-string=" + suite.ports().zooKeeperConnect());
    args.add("--spring.cloud.zookeeper.discovery.register=false");
    args.add("--faultline.auth.public-key-file=" + suite.home().publicKey());
    args.addAll(settings);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessHandle process =
        ProcessLauncher.launch(
            new LaunchSpec(
                name,
                ServiceJvm.command(java, copy, args),
                suite.home().repo(),
                Map.of(),
                suite.home().serviceLog(name)));
    BenchGateway gateway = new BenchGateway(name, port, process);
    gateway.awaitReady(Duration.ofSeconds(120));
    return gateway;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String name() {
    return name;
  }

  /**
   * Records a JFR profile of the gateway (execution samples, allocation, GC) into {@code file}
   * until {@link #stopProfile} (the bench's {@code --profile DIR}).
   */
  void startProfile(Path file) throws IOException, InterruptedException {
    jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file);
  }

  void stopProfile() throws IOException, InterruptedException {
    jcmd("JFR.stop", "name=bench");
  }

  private void jcmd(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(process.pid()));
    command.addAll(List.of(args));
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    if (jcmd.waitFor() != 0) {
      throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
    }
  }

  /** Until nothing waits in the gateway's queue and nothing is in flight from it (or timeout). */
  void awaitIdle(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline
        && metric("gateway_admission_queued", "") + metric("gateway_upstream_in_flight", "") > 0) {
      Thread.sleep(200);
    }
  }

  /** CPU the gateway process has used so far. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** One metric's samples from this gateway's {@code /actuator/prometheus}, summed. */
  double metric(String name, String labelFilter) throws IOException, InterruptedException {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(uri().resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labelFilter)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited; see " + name + "'s log in .suite/logs");
      }
      try {
        HttpResponse<Void> ready =
            HTTP.send(
                HttpRequest.newBuilder(uri().resolve("/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    close();
    throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.onExit().get(15, TimeUnit.SECONDS);
    } catch (Exception slow) {
      process.destroyForcibly();
    }
  }
}
