package dev.faultline.drill;

import dev.faultline.drill.fault.Schedule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@code bin/suite drill} options. Bounded on purpose: a drill is at most an hour of at most 100
 * operations a second from at most 32 clients.
 *
 * @param duration how long the load runs (faults strike within it, after {@code warmup})
 * @param faults the fault groups to draw from
 * @param faultSpec {@code --faults} as given
 * @param seed the fault plan's and the workload's seed
 * @param rate client actions started per second, all clients together (a lock cycle is 3-5 ops)
 * @param clients concurrent clients (one customer and account each)
 * @param sagaBound how long after the load stops every saga must be terminal
 * @param warmup load before the first fault
 * @param target where the suite runs: {@code local} (bin/suite's processes), {@code compose}
 *     (docker-compose.yml's containers) or {@code k8s} (the pods of k8s/ in a cluster)
 * @param context with {@code k8s}: the kubeconfig context (kubectl's current one if null)
 * @param namespace with {@code k8s}: the suite's namespace
 * @param reshard whether a shard is added at a third of the duration and removed at two thirds
 */
record DrillOptions(
    Duration duration,
    Set<String> faults,
    String faultSpec,
    long seed,
    double rate,
    int clients,
    Duration sagaBound,
    Duration warmup,
    String target,
    @Nullable String context,
    String namespace,
    boolean reshard) {
  static final List<String> TARGETS = List.of("local", "compose", "k8s");

  static final String USAGE =
      """
      usage: bin/suite drill [--duration 2m] [--faults services,pg,zk] [--seed N]
                             [--rate 10] [--clients 6] [--saga-bound 60s] [--warmup 10s]
                             [--target local|compose|k8s] [--context C] [--namespace N]
                             [--reshard]

        --duration    how long the load runs; faults strike within it (10s .. 1h)
        --faults      what to kill, one at a time: kinds services, pg, zk, gateway (local:
                      the clients fail over to the other gateway), or groups order-service,
                      payment-service, lock-service, shard-router; add pause to also freeze
                      them (SIGSTOP for 8-14 s, then SIGCONT; local, compose), partition to
                      also cut them off from every other process for 8-14 s (packets dropped
                      on loopback; local, as root); none: load and checks only (to see
                      what an unsafe setting breaks with no fault at all)
        --seed        makes the fault plan and the workload repeatable (random if not given)
        --rate        client actions started per second, all clients together (1 .. 100);
                      an action is one operation, or 3 to 5 for a lock cycle
        --clients     concurrent clients, each a customer with its own account (1 .. 32)
        --saga-bound  every saga must be terminal this long after the load stops
        --warmup      load before the first fault
        --target      local: the processes of bin/suite up (the default); compose: the
                      containers of docker-compose.yml (docker kill and docker start); k8s:
                      the pods of k8s/ on a cluster; the same load, faults, checks and reports
        --context     k8s: the kubeconfig context (default: kubectl's current context)
        --namespace   k8s: the suite's namespace (default: faultline)
        --reshard     local: add a shard at a third of the duration (bin/suite shards add: its
                      nodes start, a 1/(n+1) share of the slots moves to it) and remove it at two
                      thirds (bin/suite shards remove), while the load runs and faults strike; a
                      seventh check, reshard, says both moves ended DONE, and the others say
                      nothing was lost, doubled or left on two shards

      On k8s a kill is `kubectl delete pod NAME --grace-period=0 --force --wait=false` (a
      service's pod is its group's n-th by name; zk-1..3 are zk-0..2; a shard's primary is the pod
      the router's topology names); the restore waits until the workload has all its replicas
      Ready again, none of them the killed pod; steady is every pod of the suite Ready and every
      shard SYNC. The gateway is reached at $GATEWAY_URL (default http://127.0.0.1:8080: run
      `kubectl -n faultline port-forward svc/gateway 8080:8080`), the databases through
      `kubectl exec`, and tokens are minted from bin/suite k8s-secrets' keys.

      The last line is `drill: PASS ...` or `drill: FAIL ...`; the exit status is non-zero on FAIL.
      History and reports: $SUITE_HOME/drills/<id>/ (history.jsonl, report.json, report.html).
      bin/suite drill --render DIR draws DIR/report.html again from DIR/report.json.
      """;

  static DrillOptions parse(List<String> args) {
    Map<String, String> given = new LinkedHashMap<>();
    boolean reshard = false;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("unexpected '" + name + "'");
      }
      if (name.equals("--reshard")) {
        reshard = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      given.put(name.substring(2), args.get(++i));
    }
    for (String name : given.keySet()) {
      if (!List.of(
              "duration",
              "faults",
              "seed",
              "rate",
              "clients",
              "saga-bound",
              "warmup",
              "target",
              "context",
              "namespace")
          .contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    String faultSpec = given.getOrDefault("faults", "services,pg,zk");
    Duration duration = duration("duration", given.getOrDefault("duration", "2m"));
    if (duration.compareTo(Duration.ofSeconds(10)) < 0
        || duration.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("--duration must be between 10s and 1h");
    }
    double rate = number("rate", given.getOrDefault("rate", "10"), 1, 100);
    int clients = (int) number("clients", given.getOrDefault("clients", "6"), 1, 32);
    long seed =
        given.containsKey("seed")
            ? (long) number("seed", given.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE)
            : ThreadLocalRandom.current().nextInt(1, 1_000_000);
    String target = given.getOrDefault("target", "local");
    if (!target.equals("k8s") && (given.containsKey("context") || given.containsKey("namespace"))) {
      throw new IllegalArgumentException("--context and --namespace are for --target k8s");
    }
    if (target.equals("k8s") && Schedule.pauses(faultSpec)) {
      throw new IllegalArgumentException(
          "--faults pause: a pod cannot be paused from outside (SIGSTOP to a container's first"
              + " process is ignored in its namespace); pause with --target local or compose");
    }
    if (!target.equals("local") && Schedule.partitions(faultSpec)) {
      throw new IllegalArgumentException(
          "--faults partition: cuts processes off on loopback (iptables and cgroups), so only"
              + " with --target local");
    }
    if (reshard && !target.equals("local")) {
      throw new IllegalArgumentException(
          "--reshard starts and stops a shard's database nodes (bin/suite shards), so only with"
              + " --target local; compose and k8s have a fixed set of them");
    }
    if (!TARGETS.contains(target)) {
      throw new IllegalArgumentException(
          "--target must be one of " + String.join(", ", TARGETS) + ", got '" + target + "'");
    }
    return new DrillOptions(
        duration,
        Schedule.groups(faultSpec),
        faultSpec,
        seed,
        rate,
        clients,
        duration("saga-bound", given.getOrDefault("saga-bound", "60s")),
        duration("warmup", given.getOrDefault("warmup", "10s")),
        target,
        given.get("context"),
        given.getOrDefault("namespace", "faultline"),
        reshard);
  }

  /** As the report shows them (and as they would be typed again). */
  Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("duration", duration.toSeconds() + "s");
    map.put("faults", faultSpec);
    map.put("seed", seed);
    map.put("rate", rate);
    map.put("clients", clients);
    map.put("saga-bound", sagaBound.toSeconds() + "s");
    map.put("warmup", warmup.toSeconds() + "s");
    map.put("target", target);
    if (target.equals("k8s")) {
      map.put("context", context == null ? "(current)" : context);
      map.put("namespace", namespace);
    }
    if (reshard) {
      map.put("reshard", true);
    }
    return map;
  }

  /** {@code 90s}, {@code 2m}, {@code 1h}, or an ISO-8601 duration. */
  static Duration duration(String option, String text) {
    try {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + option + ": '" + text + "' is not a duration (like 90s, 2m, 1h)");
    }
  }

  private static double number(String option, String text, double min, double max) {
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " needs a number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "--" + option + " must be between " + (long) min + " and " + (long) max);
    }
    return value;
  }
}
