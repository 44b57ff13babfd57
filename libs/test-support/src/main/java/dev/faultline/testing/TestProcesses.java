package dev.faultline.testing;

import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.Launcher;
import dev.faultline.cluster.process.ProcessLauncher;
import dev.faultline.cluster.process.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The processes a test JVM started. They run detached (their own session), so a crashed test JVM
 * would leave them behind: a shutdown hook kills whatever is still alive when the JVM exits.
 */
final class TestProcesses implements Launcher {
  static final TestProcesses INSTANCE = new TestProcesses();

  private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

  private TestProcesses() {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> started.forEach(Signals::kill), "test-processes-reaper"));
  }

  @Override
  public ProcessHandle start(LaunchSpec spec) throws IOException {
    ProcessHandle handle = ProcessLauncher.launch(spec);
    started.add(handle);
    return handle;
  }

  void forget(ProcessHandle handle) {
    started.remove(handle);
  }

  /**
   * A folder for one test fixture under the module's {@code target/}, removed by {@link #delete}.
   */
  static Path newFixtureDir(String prefix) {
    try {
      Path base = Path.of(System.getProperty("user.dir"), "target", "test-infra");
      Files.createDirectories(base);
      return Files.createTempDirectory(base, prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left behind under target/, which `mvn clean` removes; not worth failing a test over.
    }
  }

  /** A port free right now on loopback (the OS picks it, so parallel JVMs do not collide). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void stop(ProcessHandle process, String signal, Duration grace) {
    try {
      Signals.stop(process, signal, grace);
    } catch (IOException e) {
      Signals.kill(process);
    }
    INSTANCE.forget(process);
  }
}
