package dev.faultline.router.resharding;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One resharding job as ZooKeeper stores it: its batches of slots, which batch is under way and in
 * which phase. Every step is written here before it runs, so a router that takes over after a crash
 * resumes the job where it stood (every phase is safe to run again).
 *
 * @param id the job's name ({@code add-3}, {@code drain-1}, {@code slots-…})
 * @param batches the moves, in order: each batch's slots go from one shard to another together
 * @param batch the index of the batch under way ({@code batches.size()} when all are done)
 * @param phase where the batch under way stands
 * @param rowsCopied rows copied so far (first copies and catch-up rows)
 * @param pausesMillis each finished cutover's write pause (slots frozen to slots moved), in order
 */
public record Migration(
    String id,
    String kind,
    List<Batch> batches,
    int batch,
    Phase phase,
    Status status,
    long rowsCopied,
    List<Long> pausesMillis,
    Instant started,
    Instant updated,
    @Nullable Instant finished,
    @Nullable String lastError) {

  public Migration {
    batches = List.copyOf(batches);
    pausesMillis = pausesMillis == null ? List.of() : List.copyOf(pausesMillis);
  }

  /** A batch: these slots move from {@code source} to {@code target} with one cutover. */
  public record Batch(int source, int target, List<Integer> slots) {
    public Batch {
      slots = List.copyOf(slots);
    }
  }

  /**
   * The steps of a batch. PREPARE: the source starts capturing changes to the slots. COPY: rows
   * copied from a snapshot. CATCH_UP: changes made meanwhile applied, until few are left. CUTOVER:
   * slots frozen in the topology and on the source, the last changes applied, the target takes the
   * slots, the source refuses them, the topology names the target. CLEANUP: the source's copy is
   * deleted.
   */
  public enum Phase {
    PREPARE,
    COPY,
    CATCH_UP,
    CUTOVER,
    CLEANUP
  }

  public enum Status {
    RUNNING,
    DONE,
    FAILED
  }

  public int slotsTotal() {
    return batches.stream().mapToInt(b -> b.slots().size()).sum();
  }

  public int slotsDone() {
    return batches.subList(0, Math.min(batch, batches.size())).stream()
        .mapToInt(b -> b.slots().size())
        .sum();
  }

  public @Nullable Batch current() {
    return batch < batches.size() ? batches.get(batch) : null;
  }

  /** Time left at the pace so far, or null before the first batch is done. */
  public @Nullable Duration eta(Instant now) {
    int done = slotsDone();
    if (done == 0 || status != Status.RUNNING) {
      return null;
    }
    Duration spent = Duration.between(started, now);
    return spent.multipliedBy(slotsTotal() - done).dividedBy(done);
  }

  Migration at(Phase next, Instant now) {
    return with(batch, next, status, rowsCopied, pausesMillis, now, finished, null);
  }

  Migration nextBatch(Instant now) {
    return with(batch + 1, Phase.PREPARE, status, rowsCopied, pausesMillis, now, finished, null);
  }

  Migration paused(long millis, Instant now) {
    List<Long> pauses = new java.util.ArrayList<>(pausesMillis);
    pauses.add(millis);
    return with(batch, phase, status, rowsCopied, pauses, now, finished, lastError);
  }

  Migration copied(long rows, Instant now) {
    return with(batch, phase, status, rowsCopied + rows, pausesMillis, now, finished, lastError);
  }

  Migration failedOnce(String error, Instant now) {
    return with(batch, phase, status, rowsCopied, pausesMillis, now, finished, error);
  }

  Migration ended(Status end, @Nullable String error, Instant now) {
    return with(batch, phase, end, rowsCopied, pausesMillis, now, now, error);
  }

  /** This job with its progress changed (its name, kind, batches and start stay). */
  private Migration with(
      int nextBatch,
      Phase nextPhase,
      Status nextStatus,
      long rows,
      List<Long> pauses,
      Instant now,
      @Nullable Instant end,
      @Nullable String error) {
    return new Migration(
        id,
        kind,
        batches,
        nextBatch,
        nextPhase,
        nextStatus,
        rows,
        pauses,
        started,
        now,
        end,
        error);
  }
}
