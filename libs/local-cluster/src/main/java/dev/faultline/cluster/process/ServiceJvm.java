package dev.faultline.cluster.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs one of the suite's Spring Boot services from its jar, the same for {@code
 * bin/suite} and for tests that run a service as a process.
 */
public final class ServiceJvm {
  private ServiceJvm() {}

  /** {@code java} with the suite's JVM flags, {@code -jar jar}, then the service's {@code args}. */
  public static List<String> command(String java, Path jar, List<String> args) {
    return command(java, List.of(), jar, args);
  }

  /** {@link #command(String, Path, List)} with more JVM flags ({@code jvmFlags}) before the jar. */
  public static List<String> command(
      String java, List<String> jvmFlags, Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    // Small heaps and a serial collector: eight JVMs share two cores on a laptop-sized machine.
    command.addAll(
        List.of(
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8"));
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return List.copyOf(command);
  }
}
