package dev.faultline.cluster.compose;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A port on this machine's loopback that reaches a port inside one container, as {@code kubectl
 * port-forward} reaches a pod's, for the drill's observer and fenced register (the stack publishes
 * only its gateway). Each accepted connection is one {@code docker exec -i} whose bash opens the
 * container's own loopback port ({@code /dev/tcp}) and copies both ways; nothing is installed in
 * the container and nothing listens on its network. The same for a pod: {@code kubectl exec -i}
 * instead of {@code docker exec -i} ({@link Exec} says which).
 */
public final class ExecTunnel implements AutoCloseable {
  /**
   * Inside the container: the connection on fd 3, the server's bytes to stdout in the background,
   * stdin to the server in the foreground (it ends when our side closes: the exec then ends).
   */
  private static final String PIPE =
      "exec 3<>/dev/tcp/127.0.0.1/%d || exit 1; cat <&3 & exec cat >&3";

  /** How to run a bash script inside the container or pod, its stdin and stdout ours. */
  public interface Exec {
    /** The command line: {@code docker exec -i ID bash -c SCRIPT}, or kubectl's. */
    List<String> command(String script) throws IOException;

    /** A connection got nothing back: whatever was looked up (a container id) may be stale. */
    default void forget() {}
  }

  private final String name;
  private final int port;
  private final Exec exec;
  private final ServerSocket server;

  private ExecTunnel(String name, int port, Exec exec, ServerSocket server) {
    this.name = name;
    this.port = port;
    this.exec = exec;
    this.server = server;
  }

  /** A tunnel to {@code port} on the loopback of what {@code exec} runs in ({@code name}). */
  public static ExecTunnel open(String name, int port, Exec exec) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ExecTunnel tunnel = new ExecTunnel(name, port, exec, server);
    Thread.ofVirtual().name("tunnel-" + name).start(tunnel::accept);
    return tunnel;
  }

  /** The local end: {@code 127.0.0.1:localPort()}. */
  public int localPort() {
    return server.getLocalPort();
  }

  public String localAddress() {
    return "127.0.0.1:" + localPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> forward(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void forward(Socket client) {
    Process exec = null;
    try (client) {
      exec =
          new ProcessBuilder(this.exec.command(PIPE.formatted(port)))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Process process = exec;
      Thread toContainer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (OutputStream in = process.getOutputStream()) {
                      copy(client.getInputStream(), in);
                    } catch (IOException e) {
                      // the client or the exec went away: closing stdin ends the exec
                    }
                  });
      long received = 0;
      try (InputStream out = process.getInputStream()) {
        received = copy(out, client.getOutputStream());
      } catch (IOException e) {
        // the client went away
      }
      if (received == 0) {
        this.exec.forget();
      }
      client.close();
      toContainer.join(Duration.ofSeconds(2));
    } catch (IOException e) {
      // no container to reach: the client sees its connection closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (exec != null) {
        try {
          if (!exec.waitFor(2, TimeUnit.SECONDS)) {
            exec.destroyForcibly();
          }
        } catch (InterruptedException e) {
          exec.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static long copy(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = from.read(buffer)) >= 0) {
      to.write(buffer, 0, n);
      to.flush();
      total += n;
    }
    return total;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing a listening socket: nothing to recover
    }
  }
}
