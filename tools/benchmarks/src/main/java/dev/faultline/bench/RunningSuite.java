package dev.faultline.bench;

import java.nio.file.Path;

/**
 * Where the running local suite is, as {@code bin/suite} put it: the repository (for {@code
 * bin/suite}), its home ({@code SUITE_HOME}) and its ports shifted by {@code SUITE_PORT_OFFSET}.
 * Shared by the harnesses that load a running suite.
 */
public record RunningSuite(Path repo, Path home, int portOffset) {

  public static RunningSuite fromEnvironment() {
    Path repo = Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
    String home = System.getenv("SUITE_HOME");
    String offset = System.getenv("SUITE_PORT_OFFSET");
    return new RunningSuite(
        repo,
        home == null ? repo.resolve(".suite") : Path.of(home),
        offset == null || offset.isBlank() ? 0 : Integer.parseInt(offset.trim()));
  }

  /** The three ZooKeeper peers' client addresses. */
  public String zooKeeper() {
    return "127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d"
        .formatted(2181 + portOffset, 2182 + portOffset, 2183 + portOffset);
  }

  public Path bin() {
    return repo.resolve("bin/suite");
  }

  /** {@code --name N} from the command line, or the fallback. */
  public static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /**
   * A token from {@code bin/suite token} with {@code args} ({@code --admin}, {@code --customer X}).
   */
  public String token(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(bin().toString());
    command.add("token");
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String token =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .trim();
    if (p.waitFor() != 0 || token.isEmpty()) {
      throw new IllegalStateException("bin/suite token failed: is the suite up?");
    }
    return token;
  }

  /** The gateway's base URI. */
  public java.net.URI gateway() {
    return java.net.URI.create("http://127.0.0.1:" + (8080 + portOffset));
  }
}
