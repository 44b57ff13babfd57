package dev.faultline.entrypoints;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.entrypoints.postgres.PostgresEntrypoint;
import dev.faultline.entrypoints.secrets.SecretsJob;
import dev.faultline.entrypoints.zookeeper.ZooKeeperEntrypoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The suite's container entrypoints, one command each; the images' shell scripts call them:
 *
 * <pre>
 *   postgres-prepare    make this node's data what the stored topology says (then exec postgres)
 *   zookeeper           write this peer's configuration and run the server
 *   secrets ROOT        generate the stack's keys and passwords once (suite, services)
 *   token ROOT [--customer ID] [--admin] [--ttl-hours H]
 *                       print a bearer token signed with ROOT/signing
 * </pre>
 */
public final class Entrypoints {
  private Entrypoints() {}

  public static void main(String[] args) {
    List<String> arguments = List.of(args);
    try {
      switch (arguments.isEmpty() ? "" : arguments.getFirst()) {
        case "postgres-prepare" -> PostgresEntrypoint.fromEnvironment(System.out).prepare();
        case "zookeeper" -> ZooKeeperEntrypoint.run(System.getenv());
        case "secrets" -> new SecretsJob(root(arguments), Clock.systemUTC(), System.out).run();
        case "token" -> System.out.println(token(arguments));
        default -> {
          System.err.println(
              "usage: entrypoints postgres-prepare | zookeeper | secrets ROOT"
                  + " | token ROOT [--customer ID] [--admin] [--ttl-hours H]");
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("entrypoint: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("entrypoint: " + e.getMessage());
      System.exit(1);
    }
  }

  private static Path root(List<String> args) {
    if (args.size() < 2) {
      throw new IllegalArgumentException(args.getFirst() + " needs the secrets folder");
    }
    return Path.of(args.get(1));
  }

  static String token(List<String> args) throws java.io.IOException {
    Path signing = root(args).resolve("signing");
    if (!Files.exists(signing.resolve(SigningKeys.PRIVATE_FILE))) {
      throw new IllegalArgumentException(
          "no signing key under " + signing + ": the stack's secrets job has not run yet");
    }
    String customer = option(args, "--customer");
    String hours = option(args, "--ttl-hours");
    Duration ttl;
    try {
      ttl = Duration.ofHours(hours == null ? 12 : Long.parseLong(hours));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--ttl-hours needs a number, got '" + hours + "'");
    }
    TokenRequest request = TokenRequest.ofCommandLine(customer, args.contains("--admin"), ttl);
    // Read, never created: a token command must not mint with a key no verifier has.
    SigningKeys keys = SigningKeys.read(signing);
    return new TokenMinter(keys, Clock.systemUTC()).mint(request);
  }

  private static @Nullable String option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) {
      return null;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(i + 1);
  }
}
