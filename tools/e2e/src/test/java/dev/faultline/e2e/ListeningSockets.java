package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The machine's listening TCP sockets, from the kernel's own tables ({@code /proc/net/tcp} and
 * {@code tcp6}), to check what a process binds without trusting its configuration.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";
  private static final Set<String> LOOPBACK =
      Set.of(
          "0100007F", // 127.0.0.1, as the kernel prints it (little-endian)
          "00000000000000000000000001000000", // ::1
          "0000000000000000FFFF00000100007F"); // ::ffff:127.0.0.1

  private ListeningSockets() {}

  /** {@code "address:port"} (kernel hex) of every listener on one of {@code ports} off loopback. */
  static List<String> offLoopback(Set<Integer> ports) throws IOException {
    List<String> found = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.strip().split("\\s+");
        String[] local = fields[1].split(":");
        int port = Integer.parseInt(local[1], 16);
        if (fields[3].equals(LISTEN) && ports.contains(port) && !LOOPBACK.contains(local[0])) {
          found.add(fields[1] + " (port " + port + ")");
        }
      }
    }
    return found;
  }
}
