package dev.faultline.drill.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cuts one local process off from every other and heals it, on loopback, where every suite process
 * lives: a real partition (packets dropped, not connections refused), so a peer sees silence and
 * its own timeouts, as across a broken switch.
 *
 * <p>Every process of the instance's process group (a JVM; a PostgreSQL postmaster with its
 * backends) moves into a {@code net_cls} cgroup of its own, which tags every socket it has and
 * makes with a class ID, established connections included; one iptables rule drops every packet
 * those sockets send, and one per port it listens on drops every packet sent to it. Rules live in a
 * chain of the suite's own ({@code FAULTLINE-<port offset>}) that {@code OUTPUT} jumps to (on
 * loopback every packet is some process's output). A watchdog heals the partition should the drill
 * be killed mid-way, and {@link #sweep} removes whatever is left at the next drill's start. Needs
 * root, iptables and cgroup v1's {@code net_cls} controller.
 */
public final class LoopbackPartition {
  /** Where this drill mounts {@code net_cls} when nothing has. */
  private static final Path OWN_MOUNT = Path.of("/run/faultline/net_cls");

  private static final String GROUPS = "faultline-partitions";

  private final String chain;
  private final int offset;

  public LoopbackPartition(int portOffset) {
    this.offset = portOffset;
    this.chain = "FAULTLINE-" + portOffset;
  }

  /** Why this machine cannot partition, if it cannot. */
  public static java.util.Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return java.util.Optional.of("partitions need root (iptables and cgroups)");
    }
    try {
      run("iptables", "-w", "-L", "OUTPUT", "-n");
    } catch (IOException e) {
      return java.util.Optional.of("partitions need iptables: " + e.getMessage());
    }
    return java.util.Optional.empty();
  }

  /** Drops every rule a partition of this suite left, and puts every partitioned process back. */
  public void sweep() throws IOException {
    if (chainExists()) {
      run("iptables", "-w", "-F", chain);
    }
    Path root = netCls();
    Path groups = root.resolve(GROUPS);
    if (Files.isDirectory(groups)) {
      try (Stream<Path> dirs = Files.list(groups)) {
        for (Path dir :
            dirs.filter(d -> d.getFileName().toString().startsWith(offset + "-")).toList()) {
          release(root, dir);
        }
      }
    }
  }

  /** {@link #sweep}, then the chain and its jump go too: nothing of this suite is left. */
  public void remove() throws IOException {
    sweep();
    if (chainExists()) {
      while (true) {
        try {
          run("iptables", "-w", "-D", "OUTPUT", "-j", chain);
        } catch (IOException noMoreJumps) {
          break;
        }
      }
      run("iptables", "-w", "-X", chain);
    }
  }

  /**
   * Cuts {@code instance} (the process group {@code leader} leads) off; returns the ports it
   * listens on, which are cut too.
   */
  public Set<Integer> cut(String instance, ProcessHandle leader) throws IOException {
    return cut(instance, leader, ProcessHandle.current().pid());
  }

  /** {@link #cut(String, ProcessHandle)}, healed by the watchdog once {@code watched} is gone. */
  Set<Integer> cut(String instance, ProcessHandle leader, long watched) throws IOException {
    ensureChain();
    Path root = netCls();
    Path group = root.resolve(GROUPS).resolve(offset + "-" + instance);
    Files.createDirectories(group);
    String classId = classId(instance);
    Files.writeString(group.resolve("net_cls.classid"), classId);
    List<Long> members = members(leader.pid());
    Set<Integer> ports = listening(members);
    // The rules first: a packet sent between moving one process and the next would be one that
    // a real partition would not have let through.
    for (int port : ports) {
      drop(instance, "-p", "tcp", "--dport", Integer.toString(port));
    }
    drop(instance, "-m", "cgroup", "--cgroup", classId);
    for (long pid : members) {
      try {
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
      } catch (IOException gone) {
        // A backend that exited meanwhile: nothing of it to cut.
      }
    }
    guard(root, group, watched);
    return ports;
  }

  /**
   * A watchdog in a session of its own that heals the partition if this drill dies before it does
   * (a SIGKILL runs no shutdown hook): it waits while the drill lives and the cgroup exists, and
   * only when the drill is gone with the cgroup still there does it flush the rules and put the
   * processes back.
   */
  private void guard(Path root, Path group, long watched) throws IOException {
    String script =
        "while kill -0 \"$1\" 2>/dev/null && [ -d \"$2\" ]; do sleep 1; done; "
            + "if [ -d \"$2\" ]; then iptables -w -F \"$3\"; "
            + "for p in $(cat \"$2/cgroup.procs\"); do echo \"$p\" > \"$4/cgroup.procs\"; done; "
            + "rmdir \"$2\"; fi";
    new ProcessBuilder(
            "setsid",
            "sh",
            "-c",
            script,
            "partition-guard",
            Long.toString(watched),
            group.toString(),
            chain,
            root.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Appends a rule dropping what {@code match} matches, named by {@code instance}. */
  private void drop(String instance, String... match) throws IOException {
    List<String> rule = new ArrayList<>(List.of("iptables", "-w", "-A", chain));
    rule.addAll(List.of(match));
    rule.addAll(List.of("-m", "comment", "--comment", instance, "-j", "DROP"));
    run(rule.toArray(String[]::new));
  }

  /** Lets {@code instance} talk again: its rules go, its processes leave the cgroup. */
  public void heal(String instance) throws IOException {
    if (chainExists()) {
      for (String rule : rules()) {
        List<String> words = List.of(rule.split(" "));
        int comment = words.indexOf("--comment");
        if (comment >= 0 && words.get(comment + 1).replace("\"", "").equals(instance)) {
          List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-D"));
          delete.addAll(words.subList(1, words.size()));
          run(delete.toArray(String[]::new));
        }
      }
    }
    Path root = netCls();
    release(root, root.resolve(GROUPS).resolve(offset + "-" + instance));
  }

  private static void release(Path root, Path group) throws IOException {
    if (!Files.isDirectory(group)) {
      return;
    }
    for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
      if (!pid.isBlank()) {
        try {
          Files.writeString(root.resolve("cgroup.procs"), pid.trim());
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    Files.deleteIfExists(group);
  }

  /** A class ID per instance name, stable, in the major range no one else here uses. */
  static String classId(String instance) {
    int minor = (instance.hashCode() & 0x7fff) + 1;
    return String.format(Locale.ROOT, "0x%08x", (0xfa17 << 16) | minor);
  }

  private List<String> rules() throws IOException {
    return run("iptables", "-w", "-S", chain).lines().filter(l -> l.startsWith("-A ")).toList();
  }

  private boolean chainExists() {
    try {
      run("iptables", "-w", "-S", chain);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void ensureChain() throws IOException {
    if (!chainExists()) {
      run("iptables", "-w", "-N", chain);
    }
    try {
      run("iptables", "-w", "-C", "OUTPUT", "-j", chain);
    } catch (IOException absent) {
      run("iptables", "-w", "-I", "OUTPUT", "1", "-j", chain);
    }
  }

  /** The {@code net_cls} hierarchy: where the system mounted it, or a mount of this drill's. */
  private static Path netCls() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 3 && f[2].equals("cgroup") && Set.of(f[3].split(",")).contains("net_cls")) {
        return Path.of(f[1]);
      }
    }
    Files.createDirectories(OWN_MOUNT);
    run("mount", "-t", "cgroup", "-o", "net_cls", "net_cls", OWN_MOUNT.toString());
    return OWN_MOUNT;
  }

  /**
   * The processes of the group {@code leader} leads: itself and, for a postmaster, its backends.
   */
  static List<Long> members(long leader) throws IOException {
    List<Long> members = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(after[2]) == leader) {
            members.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException | RuntimeException gone) {
          // exited while listed
        }
      }
    }
    if (!members.contains(leader)) {
      members.add(0, leader);
    }
    return members;
  }

  /** The TCP ports {@code pids} listen on, from their sockets' inodes in /proc/net/tcp{,6}. */
  static Set<Integer> listening(List<Long> pids) throws IOException {
    Set<String> inodes = new HashSet<>();
    for (long pid : pids) {
      Path fds = Path.of("/proc", Long.toString(pid), "fd");
      try (Stream<Path> links = Files.list(fds)) {
        for (Path link : links.toList()) {
          try {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(target.substring(8, target.length() - 1));
            }
          } catch (IOException closed) {
            // closed while listed
          }
        }
      } catch (IOException gone) {
        // exited
      }
    }
    Set<Integer> ports = new TreeSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // local_address rem_address st ... inode: state 0A is LISTEN
        if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
          String local = f[1];
          ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }

  private static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
