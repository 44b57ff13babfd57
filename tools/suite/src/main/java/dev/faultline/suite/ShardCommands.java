package dev.faultline.suite;

import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/suite shards add} and {@code bin/suite shards remove ID}: online resharding of the
 * local suite, as an operator would do it. Adding starts the next shard's primary and synchronous
 * replica (ports 5500+10·i and 5501+10·i), registers it with the router through the gateway and
 * follows the move of slots to it; removing drains the shard, removes it from the topology, stops
 * its two processes and deletes their data.
 */
record ShardCommands(SuiteHome home, SuitePorts ports, PrintStream out, Locking locking) {

  /** Runs an action under the suite's lock (as {@code up}, {@code start} and {@code down} do). */
  @FunctionalInterface
  interface Locking {
    int locked(java.util.concurrent.Callable<Integer> action) throws Exception;
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(60);

  /** How long a command waits for an unavailable router (restarting, failing over). */
  private static final Duration ROUTER_WAIT = Duration.ofMinutes(3);

  int run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      throw new CommandLine.UsageException("usage: bin/suite shards add | shards remove ID");
    }
    return switch (args.getFirst()) {
      case "add" -> add();
      case "remove" -> {
        if (args.size() != 2 || !args.get(1).matches("[0-9]{1,5}")) {
          throw new CommandLine.UsageException("usage: bin/suite shards remove ID");
        }
        yield remove(Integer.parseInt(args.get(1)));
      }
      default ->
          throw new CommandLine.UsageException(
              "unknown shards command '" + args.getFirst() + "': add | remove ID");
    };
  }

  private int add() throws Exception {
    long started = System.nanoTime();
    int[] added = new int[1];
    locking.locked(
        () -> {
          List<Integer> ids = new ArrayList<>(SuiteTopology.shardIds(home));
          added[0] = ids.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
          ids.add(added[0]);
          // Listed first, so status, kill and start know its processes even if the rest fails.
          SuiteTopology.writeShardIds(home, ids);
          new Startup(home, ports, out)
              .bringUpShard(
                  new Supervisor(home),
                  new SuiteTopology(home, ports).shard(added[0]).orElseThrow());
          return 0;
        });
    int id = added[0];
    List<Member.Postgres> shard = new SuiteTopology(home, ports).shard(id).orElseThrow();
    Startup.say(
        out,
        "pg-shard-"
            + id
            + ": primary :"
            + shard.get(0).port()
            + ", synchronous replica :"
            + shard.get(1).port(),
        started);
    String body =
        JSON.writeValueAsString(
            java.util.Map.of(
                "id",
                id,
                "primary",
                "127.0.0.1:" + shard.get(0).port(),
                "replicas",
                List.of("127.0.0.1:" + shard.get(1).port())));
    HttpResponse<String> registered =
        sendRetrying(
            () ->
                request("/api/shards")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)),
            started);
    String job;
    if (registered.statusCode() == 202) {
      job = JSON.readTree(registered.body()).path("id").asString();
    } else {
      // An answer lost on the way (the router or the gateway failed just then) and the call
      // retried: the first went through, and its job is the one moving slots now.
      job =
          runningJob("add-" + id + "-", started)
              .orElseThrow(
                  () ->
                      new IOException(
                          "the router refused shard "
                              + id
                              + ": "
                              + registered.statusCode()
                              + " "
                              + registered.body()));
    }
    Startup.say(out, "shard " + id + " registered; moving slots to it (job " + job + ")", started);
    return follow(job, started);
  }

  private int remove(int id) throws Exception {
    long started = System.nanoTime();
    List<Integer> ids = new ArrayList<>(SuiteTopology.shardIds(home));
    if (!ids.contains(id)) {
      throw new CommandLine.UsageException("the local suite has no shard " + id + ": " + ids);
    }
    if (ids.size() == 1) {
      throw new CommandLine.UsageException("shard " + id + " is the last one");
    }
    HttpResponse<String> drain =
        sendRetrying(
            () -> request("/api/shards/" + id + "/drain").POST(HttpRequest.BodyPublishers.noBody()),
            started);
    Optional<String> retried =
        drain.statusCode() == 409 ? runningJob("drain-" + id + "-", started) : Optional.empty();
    if (drain.statusCode() == 202 || retried.isPresent()) {
      String job =
          retried.isPresent() ? retried.get() : JSON.readTree(drain.body()).path("id").asString();
      Startup.say(out, "draining shard " + id + " (job " + job + ")", started);
      if (follow(job, started) != 0) {
        return 1;
      }
    } else if (drain.statusCode() != 404) {
      throw new IOException(
          "the router refused to drain shard "
              + id
              + ": "
              + drain.statusCode()
              + " "
              + drain.body());
    }
    HttpResponse<String> removed =
        sendRetrying(() -> request("/api/shards/" + id).DELETE(), started);
    if (removed.statusCode() != 204 && removed.statusCode() != 404) {
      throw new IOException(
          "the router refused to remove shard "
              + id
              + ": "
              + removed.statusCode()
              + " "
              + removed.body());
    }
    Startup.say(out, "shard " + id + " removed from the topology", started);
    locking.locked(
        () -> {
          Supervisor supervisor = new Supervisor(home);
          for (Member.Postgres node : new SuiteTopology(home, ports).shard(id).orElseThrow()) {
            supervisor.stop(node);
            Suite.deleteTree(home.postgres(node.name()));
          }
          List<Integer> left = new ArrayList<>(SuiteTopology.shardIds(home));
          left.remove(Integer.valueOf(id));
          SuiteTopology.writeShardIds(home, left);
          return 0;
        });
    Startup.say(out, "pg-shard-" + id + " stopped, its data deleted", started);
    return 0;
  }

  /** Prints the job's progress as it changes, until it ends. */
  private int follow(String job, long started) throws Exception {
    long deadline = System.nanoTime() + MOVE_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> list =
          sendRetrying(() -> request("/api/shards/migrations").GET(), started);
      JsonNode found = null;
      if (list.statusCode() == 200) {
        for (JsonNode m : JSON.readTree(list.body())) {
          if (m.path("id").asString().equals(job)) {
            found = m;
          }
        }
      }
      if (found != null) {
        String state = found.path("state").asString();
        String line =
            "%s: %d/%d slots, batch %d/%d %s, %d rows copied%s"
                .formatted(
                    job,
                    found.path("slotsDone").asInt(),
                    found.path("slotsTotal").asInt(),
                    Math.min(found.path("batchesDone").asInt() + 1, found.path("batches").asInt()),
                    found.path("batches").asInt(),
                    state.equals("RUNNING") ? found.path("phase").asString() : state,
                    found.path("rowsCopied").asLong(),
                    found.path("etaSeconds").isNumber()
                        ? ", about " + found.path("etaSeconds").asLong() + " s left"
                        : "");
        if (!line.equals(last)) {
          Startup.say(out, line, started);
          last = line;
        }
        if (state.equals("DONE")) {
          return 0;
        }
        if (state.equals("FAILED")) {
          out.println("failed: " + found.path("lastError").asString());
          return 1;
        }
      }
      Thread.sleep(500);
    }
    throw new IOException("job " + job + " still running after " + MOVE_TIMEOUT);
  }

  /** The id of the running job whose id starts with {@code prefix}, if there is one. */
  private Optional<String> runningJob(String prefix, long started) throws Exception {
    HttpResponse<String> list =
        sendRetrying(() -> request("/api/shards/migrations").GET(), started);
    if (list.statusCode() != 200) {
      return Optional.empty();
    }
    for (JsonNode m : JSON.readTree(list.body())) {
      String id = m.path("id").asString();
      if (id.startsWith(prefix) && m.path("state").asString().equals("RUNNING")) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /**
   * Sends a request until it gets an answer that is not "unavailable": while the router restarts or
   * fails over (its lease moving, the gateway finding no instance), a resharding command waits for
   * it rather than giving up, as an operator would. Every request here is safe to send again: a
   * repeated registration or drain is refused as a duplicate and its job taken up, a repeated
   * removal finds nothing to remove.
   */
  private HttpResponse<String> sendRetrying(RequestSupplier request, long started)
      throws Exception {
    long deadline = System.nanoTime() + ROUTER_WAIT.toNanos();
    String last = "";
    while (true) {
      try {
        HttpResponse<String> response = send(request.get());
        if (!List.of(502, 503, 504).contains(response.statusCode())) {
          return response;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the router did not answer for " + ROUTER_WAIT + ": " + last);
      }
      Startup.say(out, "the router is unavailable (" + oneLine(last) + "); trying again", started);
      Thread.sleep(2_000);
    }
  }

  @FunctionalInterface
  private interface RequestSupplier {
    HttpRequest.Builder get() throws IOException;
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > 160 ? line.substring(0, 160) + "..." : line;
  }

  private HttpRequest.Builder request(String path) throws IOException {
    return HttpRequest.newBuilder(URI.create(ports.gatewayUri() + path))
        .timeout(Duration.ofSeconds(30))
        .header(
            "Authorization", "Bearer " + home.token("suite-operator", true, Duration.ofHours(1)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
