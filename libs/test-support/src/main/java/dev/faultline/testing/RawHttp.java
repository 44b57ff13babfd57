package dev.faultline.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 written by hand over a socket, for what a well-behaved client refuses to send: raw
 * non-ASCII header bytes, an encoded NUL in the path, a request line or headers past the server's
 * limits, a body whose declared length lies. The answer is read to the end of its body (its length,
 * chunks, or the connection's close).
 */
public final class RawHttp {
  private RawHttp() {}

  /** A parsed answer: status, headers (lower-cased names), body. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  /** Sends {@code head} (request line and headers, CRLF-terminated lines) and then {@code body}. */
  public static Answer exchange(int port, byte[] head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      try {
        out.write(body);
        out.flush();
      } catch (IOException refusedMidBody) {
        // The server answered and closed before taking the whole body: read what it said.
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request with the given line and headers (each {@code "Name: value"}), then {@code body}. */
  public static Answer request(int port, String requestLine, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return exchange(port, head.toString().getBytes(StandardCharsets.UTF_8), body);
  }

  /** How a body's end is told: by a declared length, or in chunks (one, then the last). */
  public enum Framing {
    LENGTH,
    CHUNKED
  }

  /** A JSON POST of {@code body}, framed as asked, with {@code headers} besides. */
  public static Answer postJson(
      int port, String path, byte[] body, Framing framing, String... headers) {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Content-Type: application/json";
    byte[] sent = body;
    if (framing == Framing.LENGTH) {
      all[headers.length + 1] = "Content-Length: " + body.length;
    } else {
      all[headers.length + 1] = "Transfer-Encoding: chunked";
      ByteArrayOutputStream chunked = new ByteArrayOutputStream();
      chunked.writeBytes(
          (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.writeBytes(body);
      chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      sent = chunked.toByteArray();
    }
    return request(port, "POST " + path + " HTTP/1.1", sent, all);
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    try {
      while ((n = in.read(buffer)) >= 0) {
        all.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // A server that closes with unread input may reset the connection after its answer.
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      throw new IOException("no complete HTTP answer: " + text);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(headEnd + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    return body.toString();
  }
}
