package dev.faultline.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A TCP relay on loopback in front of one server whose protocol frames requests with a 4-byte
 * length (ZooKeeper's does), for the failure no process kill gives: a request that reaches the
 * server and is applied while its reply is lost. {@link #loseRepliesFrom} keeps forwarding what
 * clients send and, from the first request it names on, drops what the server answers; {@link
 * #dropConnections()} then closes every relayed connection, so the client sees a connection loss
 * with the outcome unknown, and reconnects through the relay as it would to a server that came
 * back.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean losingReplies;
  private volatile @Nullable Predicate<ByteBuffer> trigger;

  private TcpRelay(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("tcp-relay-" + port()).start(this::accept);
  }

  /** A relay to {@code 127.0.0.1:port}, listening on a free loopback port. */
  public static TcpRelay to(int port) throws IOException {
    return new TcpRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  public int port() {
    return listener.getLocalPort();
  }

  /**
   * From the first request {@code request} matches on (a client's frames after its first, each
   * without its length), what the server sends is dropped; what clients send still arrives.
   */
  public void loseRepliesFrom(Predicate<ByteBuffer> request) {
    trigger = request;
  }

  /** Closes every relayed connection and forwards both ways again for new ones. */
  public void dropConnections() {
    open.forEach(TcpRelay::closeQuietly);
    open.clear();
    trigger = null;
    losingReplies = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        try {
          server.connect(upstream, 2_000);
        } catch (IOException refused) {
          closeQuietly(client);
          continue;
        }
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> requests(client, server));
        Thread.ofVirtual().start(() -> replies(server, client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Client to server, frame by frame, so that the trigger sees whole requests. */
  private void requests(Socket from, Socket to) {
    try (DataInputStream in = new DataInputStream(from.getInputStream());
        DataOutputStream out = new DataOutputStream(to.getOutputStream())) {
      for (boolean first = true; ; first = false) {
        int length = in.readInt();
        byte[] frame = in.readNBytes(length);
        if (frame.length < length) {
          return;
        }
        Predicate<ByteBuffer> armed = trigger;
        if (!first && armed != null && armed.test(ByteBuffer.wrap(frame).asReadOnlyBuffer())) {
          losingReplies = true; // before the request leaves: its own reply is lost too
        }
        out.writeInt(length);
        out.write(frame);
        out.flush();
      }
    } catch (IOException closed) {
      // one side went away: the other goes with it
    } finally {
      close(from, to);
    }
  }

  private void replies(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (!losingReplies) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException closed) {
      // one side went away: the other goes with it
    } finally {
      close(from, to);
    }
  }

  private void close(Socket a, Socket b) {
    closeQuietly(a);
    closeQuietly(b);
    open.remove(a);
    open.remove(b);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that was asked
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    dropConnections();
  }
}
