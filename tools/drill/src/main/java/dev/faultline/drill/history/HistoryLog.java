package dev.faultline.drill.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The drill's history as it happens: every event goes to {@code history.jsonl} (one JSON object per
 * line, flushed at once, so a drill that dies still leaves what it saw) and stays in memory for the
 * checker. Times are milliseconds on this process's monotonic clock since the drill started.
 *
 * <pre>
 * {"type":"invoke","op":7,"kind":"place-order","at":1520,"args":{"customer":"c1",...}}
 * {"type":"ok","op":7,"at":1712,"result":{"id":"...","status":"CONFIRMED","http":"201"}}
 * {"type":"fault","action":"kill","target":"zk-2","at":30001}
 * </pre>
 */
public final class HistoryLog implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final long startNanos = System.nanoTime();
  private final java.time.Instant startedAt = java.time.Instant.now();
  private final AtomicLong nextOp = new AtomicLong(1);
  private final List<Event> events = new ArrayList<>();
  private final BufferedWriter out;

  private HistoryLog(BufferedWriter out) {
    this.out = out;
  }

  public static HistoryLog create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return new HistoryLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Milliseconds since the drill started. */
  /** The wall-clock time of {@link #now()}'s zero, to line the history up with Prometheus. */
  public java.time.Instant startedAt() {
    return startedAt;
  }

  public long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Records the start of an operation; returns its number for {@link #complete}. */
  public long invoke(String kind, Map<String, String> args) {
    long op = nextOp.getAndIncrement();
    append(new Event.Invoke(op, kind, now(), args));
    return op;
  }

  public void complete(long op, Event.Outcome outcome, Map<String, String> result) {
    append(new Event.Complete(op, outcome, now(), result));
  }

  public void fault(String action, String target) {
    append(new Event.Fault(action, target, now()));
  }

  public synchronized History history() {
    return new History(events);
  }

  private synchronized void append(Event event) {
    events.add(event);
    try {
      out.write(JSON.writeValueAsString(toJson(event)));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  /** Reads a {@code history.jsonl} back, for checking a drill again later. */
  public static History read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (Stream<String> lines = Files.lines(file)) {
      for (String line : lines.filter(l -> !l.isBlank()).toList()) {
        events.add(fromJson(JSON.readTree(line)));
      }
    }
    return new History(events);
  }

  static Map<String, Object> toJson(Event event) {
    Map<String, Object> o = new LinkedHashMap<>();
    switch (event) {
      case Event.Invoke i -> {
        o.put("type", "invoke");
        o.put("op", i.op());
        o.put("kind", i.kind());
        o.put("at", i.at());
        o.put("args", i.args());
      }
      case Event.Complete c -> {
        o.put("type", c.outcome().name().toLowerCase(java.util.Locale.ROOT));
        o.put("op", c.op());
        o.put("at", c.at());
        o.put("result", c.result());
      }
      case Event.Fault f -> {
        o.put("type", "fault");
        o.put("action", f.action());
        o.put("target", f.target());
        o.put("at", f.at());
      }
    }
    return o;
  }

  static Event fromJson(JsonNode o) {
    String type = o.get("type").asString();
    long at = o.get("at").asLong();
    return switch (type) {
      case "invoke" ->
          new Event.Invoke(o.get("op").asLong(), o.get("kind").asString(), at, strings(o, "args"));
      case "fault" -> new Event.Fault(o.get("action").asString(), o.get("target").asString(), at);
      default ->
          new Event.Complete(
              o.get("op").asLong(),
              Event.Outcome.valueOf(type.toUpperCase(java.util.Locale.ROOT)),
              at,
              strings(o, "result"));
    };
  }

  private static Map<String, String> strings(JsonNode o, String field) {
    Map<String, String> map = new LinkedHashMap<>();
    JsonNode node = o.get(field);
    if (node != null) {
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asString()));
    }
    return map;
  }
}
