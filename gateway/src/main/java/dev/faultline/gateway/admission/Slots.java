package dev.faultline.gateway.admission;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * The admission slots one request holds, kept in its exchange: each attempt takes one and gives it
 * back when it ends ({@code InstanceOutcomeFilter}); whatever is still held when the exchange ends
 * (an attempt cancelled between the grant and its start, say) is given back then ({@link
 * SlotsFilter}), so no slot outlives its request.
 */
public final class Slots {
  static final String ATTRIBUTE = Slots.class.getName();

  private final Queue<Slot> held = new ConcurrentLinkedQueue<>();
  private volatile @Nullable Slot latest;
  private boolean closed; // guarded by this

  /** The exchange's slots, made on first use. */
  public static Slots of(Map<String, Object> attributes) {
    return (Slots) attributes.computeIfAbsent(ATTRIBUTE, a -> new Slots());
  }

  /**
   * Holds {@code slot} for the exchange, or gives it straight back if the exchange has ended: a
   * waiter's slot can be granted just as its wait times out and its request is answered.
   */
  void hold(Slot slot) {
    synchronized (this) {
      if (!closed) {
        held.add(slot);
        latest = slot;
        return;
      }
    }
    slot.abandon();
  }

  /** The slot granted last: the current attempt's. */
  public @Nullable Slot latest() {
    return latest;
  }

  /** The exchange ended: gives back every slot still held, without a latency sample. */
  public void releaseAll() {
    synchronized (this) {
      closed = true;
    }
    for (Slot slot; (slot = held.poll()) != null; ) {
      slot.abandon();
    }
  }
}
