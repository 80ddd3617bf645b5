package io.rivet.beam;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.rivet.core.ExportFailure;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.SourceFailure;
import io.rivet.core.extract.SourceRetries;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.HotChunks;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts chunks: a splittable DoFn whose restriction is the chunk's key range. Each call streams
 * its range into one part per uncommitted sub-range, skipping sub-ranges the state store already
 * holds as committed (so a resume or a retried bundle never writes a row twice). Rows never leave
 * this call as elements. The element names the run; its plan is loaded from the state store.
 */
@DoFn.BoundedPerElement
final class ExtractChunkFn extends ChunkRangeFn<ChunkRef, PartRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ExtractChunkFn.class);

  /** Caps concurrent chunks of one run at its {@code parallel} within this JVM. */
  private static final Map<String, Semaphore> PERMITS = new ConcurrentHashMap<>();

  /** The state store every run of this step is recorded in; its plans are loaded from there. */
  private final String stateUrl;

  /**
   * Restrictions each keyed chunk starts as (1: the whole chunk; more only where a caller asks).
   */
  private final int initialSplits;

  private transient StateStore state;
  private transient Map<String, ExportPlan> plans;
  private transient Map<String, HotChunkSplitter> splitters;

  private transient SourceConnection connection;

  ExtractChunkFn(String stateUrl) {
    this(stateUrl, 1);
  }

  ExtractChunkFn(String stateUrl, int initialSplits) {
    this.stateUrl = stateUrl;
    this.initialSplits = initialSplits;
  }

  @Setup
  public void setup() {
    state = StateStore.open(stateUrl);
    plans = new HashMap<>();
    splitters = new HashMap<>();
    connection = new SourceConnection();
  }

  /**
   * The run's plan, loaded once per DoFn instance; the run's writes are fenced with its lease from
   * here on.
   */
  private ExportPlan plan(RunRef run) {
    if (run.lease() != null) {
      state.fence(run.exportName(), run.lease());
    }
    return plans.computeIfAbsent(
        run.runId(), id -> state.loadPlan(id).withConnection(run.connection()));
  }

  /**
   * A keyed chunk may start as several restrictions, each read and committed as parts of its own:
   * where a caller asks ({@code initialSplits}), or — for a key-range chunk that the engine's
   * statistics say holds far more rows than the others ({@link HotChunks}) — at cut points that
   * give each restriction about an average chunk's rows, so that several workers read it at once.
   */
  @SplitRestriction
  public void splitRestriction(
      @Element ChunkRef ref, @Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
    ChunkSpec chunk = ref.chunk();
    if (!chunk.keyed()) {
      out.output(range);
      return;
    }
    if (initialSplits > 1 && range.getTo() - range.getFrom() >= initialSplits) {
      for (OffsetRange r :
          range.split((range.getTo() - range.getFrom() + initialSplits - 1) / initialSplits, 1)) {
        out.output(r);
      }
      return;
    }
    boolean whole = range.getFrom() == chunk.lo() && range.getTo() == chunk.hi();
    List<Long> cuts =
        whole
            ? splitters
                .computeIfAbsent(
                    ref.run().runId(), id -> new HotChunkSplitter(plan(ref.run()), state))
                .cuts(chunk)
            : List.of();
    long from = range.getFrom();
    for (long cut : cuts) {
      out.output(new OffsetRange(from, cut));
      from = cut;
    }
    out.output(new OffsetRange(from, range.getTo()));
  }

  @Override
  ChunkSpec chunkOf(ChunkRef element) {
    return element.chunk();
  }

  @ProcessElement
  public ProcessContinuation process(
      @Element ChunkRef ref,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<PartRecord> out)
      throws InterruptedException {
    ExportPlan plan = plan(ref.run());
    ChunkSpec chunk = ref.chunk();
    Semaphore permits =
        PERMITS.computeIfAbsent(plan.runId(), k -> new Semaphore(ref.run().parallel()));
    try (WorkerLeases.Handle leaseHeld = WorkerLeases.hold(stateUrl, ref.run())) {
      permits.acquire();
      try {
        return extract(plan, chunk, tracker, out);
      } finally {
        permits.release();
      }
    }
  }

  private ProcessContinuation extract(
      ExportPlan plan,
      ChunkSpec chunk,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<PartRecord> out) {
    try {
      state.chunkStarted(plan.runId(), chunk.index());
      OffsetRange restriction = tracker.currentRestriction();
      if (chunk.keyed()
          && (restriction.getFrom() != chunk.lo() || restriction.getTo() != chunk.hi())) {
        // One piece of a chunk read as several restrictions: when each started, for the operator
        // (and the test that shows the pieces ran at once).
        state.journal(
            plan.runId(),
            plan.exportName(),
            "RestrictionStarted",
            "{\"chunk_index\":"
                + chunk.index()
                + ",\"from\":"
                + restriction.getFrom()
                + ",\"to\":"
                + restriction.getTo()
                + "}");
      }
      Failsafe.with(retryPolicy(plan, chunk))
          .run(
              () ->
                  new RestrictionWalk(
                          plan, chunk, tracker, out, state, () -> connection.get(plan.connection()))
                      .run());
      return ProcessContinuation.stop();
    } catch (FailsafeException e) {
      if (e.getCause() instanceof RivetException re) {
        return fail(plan, chunk, re, tracker);
      }
      throw e;
    } catch (RivetException e) {
      return fail(plan, chunk, e, tracker);
    }
  }

  /**
   * A chunk that failed for good (after its retries): the chunk is marked failed, and the export's
   * failure recorded for the launcher, so that the other exports of the run go on — this one is not
   * finalized, and {@code --resume} continues it. A failure that is the whole run's (a lost lease,
   * a broken state store) fails the pipeline instead.
   */
  private ProcessContinuation fail(
      ExportPlan plan,
      ChunkSpec chunk,
      RivetException e,
      RestrictionTracker<OffsetRange, Long> tracker) {
    connection.close();
    if (!ExportFailure.isOwnedByOneExport(e)) {
      throw e;
    }
    state.chunkFailed(plan.runId(), chunk.index(), e.getMessage());
    state.journal(
        plan.runId(),
        plan.exportName(),
        ExportFailure.EVENT,
        ExportFailure.of(plan.exportName(), e).toJson());
    LOG.warn(
        "export '{}', chunk {} failed [{}]; the other exports go on",
        plan.exportName(),
        chunk.index(),
        e.code());
    // The restriction is given up: nothing more of it is read in this run.
    tracker.tryClaim(tracker.currentRestriction().getTo());
    return ProcessContinuation.stop();
  }

  /**
   * Transient source errors (classified by SQLState / vendor code in the dialect) are retried per
   * chunk with exponential backoff from {@code tuning}; a retry opens a new connection and skips
   * what already committed.
   */
  private RetryPolicy<Object> retryPolicy(ExportPlan plan, ChunkSpec chunk) {
    SourceRetries budget = new SourceRetries(plan.tuning());
    return RetryPolicy.builder()
        .handleIf(SourceRetries::retryable)
        // max_retries attempts, or as long as the source has been failing for less than
        // retry_window_s
        .abortIf(
            (result, failure) ->
                failure != null && SourceRetries.retryable(failure) && !budget.retry(failure))
        .withMaxRetries(-1)
        .withDelayFn(ctx -> budget.delay())
        .onRetry(
            ev -> {
              connection.close();
              Throwable why = ev.getLastException();
              String reason =
                  why instanceof SourceFailure sf
                      ? sf.errorClass().name().toLowerCase(Locale.ROOT)
                          + " (SQLState "
                          + sf.sqlState()
                          + ", code "
                          + sf.vendorCode()
                          + ")"
                      : String.valueOf(why);
              LOG.warn(
                  "export '{}', chunk {}: {}; retry {} in {} ms",
                  plan.exportName(),
                  chunk.index(),
                  reason,
                  ev.getAttemptCount(),
                  budget.delay().toMillis());
              state.journal(
                  plan.runId(),
                  plan.exportName(),
                  "RetryAttempted",
                  Json.MAPPER.writeValueAsString(
                      Map.of(
                          "chunk_index",
                          chunk.index(),
                          "attempt",
                          ev.getAttemptCount(),
                          "reason",
                          reason,
                          "backoff_ms",
                          budget.delay().toMillis())));
            })
        .build();
  }

  @Teardown
  public void teardown() {
    if (connection != null) {
      connection.close();
    }
    if (splitters != null) {
      splitters.values().forEach(HotChunkSplitter::close);
    }
    if (state != null) {
      state.close();
    }
  }
}
