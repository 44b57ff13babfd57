package dev.faultline.bench;

import dev.faultline.cluster.suite.SuiteCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time per suite process, from {@code /proc}: user + system, the process's whole tree (a
 * PostgreSQL node is its postmaster and every backend, live or exited), so the difference of two
 * snapshots is what each process spent in between. Linux only, like the suite.
 */
public record ProcessCpu(Map<String, Double> seconds) {
  /** {@code getconf CLK_TCK}: 100 on every Linux the suite runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** Every running member of the suite, plus this process as {@code bench}. */
  public static ProcessCpu snapshot(SuiteCommand suite) throws IOException {
    Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, own ticks, reaped children's}
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(dir.resolve("stat"));
          // After the command's closing parenthesis: state ppid pgrp ... utime stime cutime cstime
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          stats.put(
              Long.parseLong(name),
              new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[13]) + Long.parseLong(f[14])
              });
        } catch (IOException | RuntimeException gone) {
          // exited while listed
        }
      }
    }
    Map<Long, List<Long>> children = new HashMap<>();
    stats.forEach((pid, s) -> children.computeIfAbsent(s[0], p -> new ArrayList<>()).add(pid));
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (SuiteCommand.Member member : suite.status()) {
      if (member.pid() != null && stats.containsKey((long) member.pid())) {
        seconds.put(member.name(), ticks(member.pid(), stats, children) / TICKS_PER_SECOND);
      }
    }
    seconds.put("bench", ticks(ProcessHandle.current().pid(), stats, children) / TICKS_PER_SECOND);
    return new ProcessCpu(seconds);
  }

  private static long ticks(long pid, Map<Long, long[]> stats, Map<Long, List<Long>> children) {
    long[] s = stats.get(pid);
    if (s == null) {
      return 0;
    }
    long total = s[1] + s[2];
    for (long child : children.getOrDefault(pid, List.of())) {
      total += ticks(child, stats, children);
    }
    return total;
  }

  /** What each process spent since {@code before}. */
  public ProcessCpu since(ProcessCpu before) {
    Map<String, Double> spent = new LinkedHashMap<>();
    seconds.forEach((name, s) -> spent.put(name, s - before.seconds().getOrDefault(name, s)));
    return new ProcessCpu(spent);
  }

  /**
   * Prints milliseconds of CPU per operation by process (busiest first, nothing under 0.05 ms), the
   * total, and the ceiling it puts on throughput with {@code cores} cores.
   */
  public void print(String title, long operations, int cores) {
    System.out.printf(
        Locale.ROOT, "%n%s: CPU ms per operation, %d operations%n", title, operations);
    double total = 0;
    for (var e :
        seconds.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .toList()) {
      double ms = e.getValue() * 1000 / operations;
      total += ms;
      if (ms >= 0.05) {
        System.out.printf(Locale.ROOT, "  %-22s %8.2f%n", e.getKey(), ms);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-22s %8.2f   (on %d cores: at most %.0f operations/s)%n",
        "total",
        total,
        cores,
        cores * 1000 / total);
  }
}
