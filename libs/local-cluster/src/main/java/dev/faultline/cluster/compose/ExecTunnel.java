package dev.faultline.cluster.compose;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A port on this machine's loopback that reaches a port inside one container, as {@code kubectl
 * port-forward} reaches a pod's, for the drill's observer and fenced register (the stack publishes
 * only its gateway). Each accepted connection is one {@code docker exec -i} whose bash opens the
 * container's own loopback port ({@code /dev/tcp}) and copies both ways; nothing is installed in
 * the container and nothing listens on its network.
 */
public final class ExecTunnel implements AutoCloseable {
  /**
   * Inside the container: the connection on fd 3, the server's bytes to stdout in the background,
   * stdin to the server in the foreground (it ends when our side closes: the exec then ends).
   */
  private static final String PIPE =
      "exec 3<>/dev/tcp/127.0.0.1/%d || exit 1; cat <&3 & exec cat >&3";

  private final ComposeProject project;
  private final String service;
  private final int port;
  private final ServerSocket server;
  private volatile @Nullable String containerId;

  private ExecTunnel(ComposeProject project, String service, int port, ServerSocket server) {
    this.project = project;
    this.service = service;
    this.port = port;
    this.server = server;
  }

  static ExecTunnel open(ComposeProject project, String service, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ExecTunnel tunnel = new ExecTunnel(project, service, port, server);
    Thread.ofVirtual().name("tunnel-" + service).start(tunnel::accept);
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
      // The same container across kill and start; asked again after a connection that got
      // nothing back (the container may have been recreated).
      String id = containerId;
      if (id == null) {
        id = project.id(service);
        containerId = id;
      }
      exec =
          new ProcessBuilder("docker", "exec", "-i", id, "bash", "-c", PIPE.formatted(port))
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
        containerId = null;
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
