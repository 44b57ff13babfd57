package dev.faultline.drill.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A drill's events in order, with each operation's invocation paired to its completion. */
public record History(List<Event> events) {

  public History {
    events = List.copyOf(events);
  }

  /** An operation: its invocation and, unless the drill ended first, its completion. */
  public record Operation(Event.Invoke invoke, Optional<Event.Complete> complete) {
    public String kind() {
      return invoke.kind();
    }

    public boolean is(Event.Outcome outcome) {
      return complete.map(c -> c.outcome() == outcome).orElse(outcome == Event.Outcome.UNKNOWN);
    }

    public @Nullable String result(String name) {
      return complete.map(c -> c.result().get(name)).orElse(null);
    }

    public long latencyMillis() {
      return complete.map(c -> c.at() - invoke.at()).orElse(-1L);
    }
  }

  public List<Operation> operations() {
    Map<Long, Event.Complete> completions = new HashMap<>();
    for (Event e : events) {
      if (e instanceof Event.Complete c) {
        completions.put(c.op(), c);
      }
    }
    List<Operation> operations = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof Event.Invoke i) {
        operations.add(new Operation(i, Optional.ofNullable(completions.get(i.op()))));
      }
    }
    return operations;
  }

  public List<Event.Fault> faults() {
    return events.stream()
        .filter(Event.Fault.class::isInstance)
        .map(Event.Fault.class::cast)
        .toList();
  }
}
