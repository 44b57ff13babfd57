package dev.faultline.drill.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real partition of a real process: an echo server in its own process group (as every suite
 * process is), with a client connection established before the cut. While cut off, the open
 * connection goes silent, a new one cannot be made, and the server cannot reach out; once healed
 * (by the drill, or by the watchdog when the drill died) everything answers again.
 */
class LoopbackPartitionIT {
  private static final int OFFSET = 47_000;
  private final LoopbackPartition partition = new LoopbackPartition(OFFSET);
  private Process server;
  private int port;
  private int outsidePort;
  private ServerSocket outside;

  @BeforeEach
  void start() throws Exception {
    assumeThat(LoopbackPartition.unavailable()).as("runs as root with iptables").isEmpty();
    partition.sweep();
    outside = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    outsidePort = outside.getLocalPort();
    Thread.ofVirtual()
        .start(
            () -> {
              while (!outside.isClosed()) {
                try (Socket s = outside.accept()) {
                  s.getOutputStream().write('+');
                } catch (IOException closed) {
                  // closing
                }
              }
            });
    port = freePort();
    // An echo server that also reports, every 200 ms, whether it can reach the outside port.
    String script =
        """
        import socket, threading, time
        l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind(("127.0.0.1", %d)); l.listen()
        def serve(c):
            while True:
                d = c.recv(64)
                if not d: return
                c.sendall(d)
        def accept():
            while True:
                c, _ = l.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
        threading.Thread(target=accept, daemon=True).start()
        while True:
            try:
                s = socket.create_connection(("127.0.0.1", %d), timeout=0.5); s.recv(1); s.close()
                print("out", flush=True)
            except OSError:
                print("cut", flush=True)
            time.sleep(0.2)
        """
            .formatted(port, outsidePort);
    server = new ProcessBuilder("setsid", "python3", "-c", script).start();
    awaitListening(port);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      partition.remove();
      server.destroyForcibly().waitFor();
    }
    if (outside != null) {
      outside.close();
    }
  }

  @Test
  void aCutProcessIsSilentBothWaysUntilHealed() throws Exception {
    try (Socket before = connect()) {
      assertThat(echo(before, "a")).isEqualTo("a");
      Set<Integer> ports = partition.cut("echo", server.toHandle());
      assertThat(ports).contains(port);

      // The connection made before the cut goes silent; no new one can be made.
      assertThat(echoOrTimeout(before, "b")).isNull();
      assertThat(connectsWithin(Duration.ofMillis(700))).isFalse();
      assertThat(lastReports(5)).containsOnly("cut");

      partition.heal("echo");
      // The old connection delivers what waited (TCP retransmits), and new ones work.
      assertThat(readWithin(before, Duration.ofSeconds(10))).contains("b");
      assertThat(connectsWithin(Duration.ofSeconds(2))).isTrue();
      assertThat(lastReports(3)).contains("out");
    }
  }

  @Test
  void theWatchdogHealsWhenTheDrillDies() throws Exception {
    Process drill = new ProcessBuilder("sleep", "600").start();
    partition.cut("echo", server.toHandle(), drill.pid());
    assertThat(connectsWithin(Duration.ofMillis(700))).isFalse();
    drill.destroyForcibly().waitFor();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean healed = false;
    while (!healed && System.nanoTime() < deadline) {
      healed = connectsWithin(Duration.ofMillis(500));
    }
    assertThat(healed).as("healed by the watchdog after the drill died").isTrue();
  }

  @Test
  void aSweepUndoesAPartitionLeftBehind() throws Exception {
    partition.cut("echo", server.toHandle(), ProcessHandle.current().pid());
    assertThat(connectsWithin(Duration.ofMillis(700))).isFalse();
    partition.sweep();
    assertThat(connectsWithin(Duration.ofSeconds(2))).isTrue();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
    socket.setSoTimeout(1_000);
    return socket;
  }

  private boolean connectsWithin(Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.getOutputStream().write('x');
      return socket.getInputStream().read() == 'x';
    } catch (IOException e) {
      return false;
    }
  }

  private static String echo(Socket socket, String text) throws IOException {
    String answer = echoOrTimeout(socket, text);
    assertThat(answer).isNotNull();
    return answer;
  }

  private static String echoOrTimeout(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    try {
      byte[] buffer = new byte[64];
      int n = socket.getInputStream().read(buffer);
      return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException silent) {
      return null;
    }
  }

  private static String readWithin(Socket socket, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    byte[] buffer = new byte[64];
    int n = socket.getInputStream().read(buffer);
    return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
  }

  /** The server's last {@code n} reports on reaching out, read as they come (200 ms apart). */
  private List<String> lastReports(int n) throws IOException, InterruptedException {
    InputStream out = server.getInputStream();
    // Drop what was reported before, then take n fresh ones.
    Thread.sleep(1_200);
    out.skip(out.available());
    List<String> reports = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    while (reports.size() < n) {
      int c = out.read();
      if (c < 0) {
        break;
      }
      if (c == '\n') {
        String text = line.toString().trim();
        if (!text.isEmpty() && (text.equals("out") || text.equals("cut"))) {
          reports.add(text);
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    return reports.subList(Math.min(1, reports.size()), reports.size()); // the first may be torn
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the echo server never listened on " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
