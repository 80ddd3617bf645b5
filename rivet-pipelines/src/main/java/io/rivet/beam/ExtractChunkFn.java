package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.rivet.core.ExportFailure;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.SourceFailure;
import io.rivet.core.extract.SourceRetries;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.HotChunks;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts chunks: a splittable DoFn whose restriction is the chunk's key range. Each call streams
 * its range into one part per uncommitted sub-range, skipping sub-ranges the state store already
 * holds as committed (so a resume or a retried bundle never writes a row twice). Rows never leave
 * this call as elements.
 */
@DoFn.BoundedPerElement
final class ExtractChunkFn extends DoFn<ChunkRef, PartRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ExtractChunkFn.class);

  /** Caps concurrent chunks of one run at its {@code parallel} within this JVM. */
  private static final Map<String, Semaphore> PERMITS = new ConcurrentHashMap<>();

  private final SerializedPlan plan;
  private final int parallel;

  /**
   * The launcher's lease token on the export, checked before every commit; null when none is held.
   */
  private final String lease;

  /**
   * Restrictions each keyed chunk starts as (1: the whole chunk; more only where a caller asks).
   */
  private final int initialSplits;

  /** How long an estimate may wait for the source's bytes. */
  private static final long ESTIMATE_TIMEOUT_MS = 10_000;

  /** The average chunk is estimated from at most this many chunks. */
  private static final int MAX_SAMPLED_CHUNKS = 256;

  /** At most this many restrictions from one hot chunk. */
  private static final int MAX_PIECES = 16;

  private transient StateStore state;
  private transient Connection estimatesConnection;

  /**
   * The engine's estimate of the rows of all key-range chunks (negative: unknown), once per DoFn
   * instance.
   */
  private transient Long totalEstimate;

  private transient Connection connection;

  ExtractChunkFn(SerializedPlan plan, int parallel, String lease) {
    this(plan, parallel, lease, 1);
  }

  ExtractChunkFn(SerializedPlan plan, int parallel, String lease, int initialSplits) {
    this.plan = plan;
    this.parallel = parallel;
    this.lease = lease;
    this.initialSplits = initialSplits;
  }

  /** The plan this DoFn carries (for tests). */
  SerializedPlan plan() {
    return plan;
  }

  @Setup
  public void setup() {
    state = StateStore.open(plan.get().stateUrl());
    if (lease != null) {
      state.fence(plan.get().exportName(), lease);
    }
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element ChunkRef ref) {
    ChunkSpec c = ref.chunk();
    // Only key and ordinal ranges can be split; any other chunk is one indivisible unit of work.
    return c.keyed() ? new OffsetRange(c.lo(), c.hi()) : new OffsetRange(0, 1);
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
    List<Long> cuts = hotChunkCuts(chunk, range);
    long from = range.getFrom();
    for (long cut : cuts) {
      out.output(new OffsetRange(from, cut));
      from = cut;
    }
    out.output(new OffsetRange(from, range.getTo()));
  }

  /** Cut points for a hot key-range chunk; none when it is not hot or nothing can be estimated. */
  private List<Long> hotChunkCuts(ChunkSpec chunk, OffsetRange range) {
    ExportPlan plan = this.plan.get();
    if ("false".equalsIgnoreCase(System.getenv("RIVET_SPLIT_HOT_CHUNKS"))
        || chunk.kind() != ChunkSpec.Kind.RANGE
        || range.getFrom() != chunk.lo()
        || range.getTo() != chunk.hi()) {
      return List.of();
    }
    List<ChunkSpec> ranges =
        plan.chunks().stream().filter(c -> c.kind() == ChunkSpec.Kind.RANGE).toList();
    if (ranges.size() < 2) {
      return List.of();
    }
    try {
      Connection c = estimatesConnection();
      Dialect dialect = plan.connection().dialect();
      ReadSpec spec = plan.readSpec();
      HotChunks.Estimate estimate =
          (from, to) -> {
            try {
              return dialect.rangeRowEstimate(c, spec, from, to).orElse(-1);
            } catch (SQLException e) {
              closeEstimatesConnection();
              return -1;
            }
          };
      if (totalEstimate == null) {
        // The sum of the chunks' own estimates (of a spread sample of them when there are many): an
        // estimate over the whole key span may be made another way (MariaDB's index dives sample
        // differently over a long range) and would make ordinary chunks look hot.
        int step = Math.max(1, ranges.size() / MAX_SAMPLED_CHUNKS);
        long sum = 0;
        int sampled = 0;
        for (int i = 0; i < ranges.size() && sum >= 0; i += step) {
          long rows = estimate.rows(ranges.get(i).lo(), ranges.get(i).hi());
          sum = rows < 0 ? -1 : sum + rows;
          sampled++;
        }
        totalEstimate = sum < 0 ? -1 : sum * ranges.size() / sampled;
      }
      if (totalEstimate <= 0) {
        return List.of();
      }
      List<Long> cuts =
          HotChunks.cutPoints(
              estimate, chunk.lo(), chunk.hi(), totalEstimate, ranges.size(), MAX_PIECES);
      if (!cuts.isEmpty()) {
        state.journal(
            plan.runId(),
            plan.exportName(),
            "ChunkSplit",
            Json.MAPPER.writeValueAsString(
                Map.of(
                    "chunk_index",
                    chunk.index(),
                    "estimated_rows",
                    estimate.rows(chunk.lo(), chunk.hi()),
                    "average_rows",
                    totalEstimate / ranges.size(),
                    "cut_points",
                    cuts)));
        LOG.info(
            "export '{}', chunk {}: about {} rows, {}× an average chunk; read as {} restrictions",
            plan.exportName(),
            chunk.index(),
            estimate.rows(chunk.lo(), chunk.hi()),
            Math.round(
                estimate.rows(chunk.lo(), chunk.hi()) * (double) ranges.size() / totalEstimate),
            cuts.size() + 1);
      }
      return cuts;
    } catch (RuntimeException | SQLException | JsonProcessingException e) {
      closeEstimatesConnection();
      // An estimate is a hint: without one the chunk is read whole, as planned.
      LOG.debug("export '{}', chunk {}: no estimate ({})", plan.exportName(), chunk.index(), e);
      return List.of();
    }
  }

  @NewTracker
  public KeyRangeTracker newTracker(@Restriction OffsetRange range) {
    return new KeyRangeTracker(range);
  }

  @GetRestrictionCoder
  public Coder<OffsetRange> restrictionCoder() {
    return OffsetRange.Coder.of();
  }

  @GetSize
  public double size(@Restriction OffsetRange range) {
    return range.getTo() - range.getFrom();
  }

  @ProcessElement
  public ProcessContinuation process(
      @Element ChunkRef ref,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<PartRecord> out)
      throws InterruptedException {
    ExportPlan plan = this.plan.get();
    ChunkSpec chunk = ref.chunk();
    Semaphore permits = PERMITS.computeIfAbsent(plan.runId(), k -> new Semaphore(parallel));
    permits.acquire();
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
          .run(() -> new RestrictionWalk(plan, chunk, tracker, out, state, this::connection).run());
      return ProcessContinuation.stop();
    } catch (FailsafeException e) {
      if (e.getCause() instanceof RivetException re) {
        return fail(plan, chunk, re, tracker);
      }
      throw e;
    } catch (RivetException e) {
      return fail(plan, chunk, e, tracker);
    } finally {
      permits.release();
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
    closeConnection();
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
              closeConnection();
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

  private Connection connection() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = plan.get().connection().open();
      }
      return connection;
    } catch (SQLException e) {
      connection = null;
      return connection();
    }
  }

  /**
   * The connection estimates are asked on: its own, never the one chunks are read on (a streaming
   * result set there allows no other statement), autocommitting (a pooler in transaction mode keeps
   * its server connection only for each statement), and bounded by a short network timeout — an
   * estimate is a hint, never worth waiting out a frozen connection for.
   */
  private Connection estimatesConnection() throws SQLException {
    if (estimatesConnection == null || estimatesConnection.isClosed()) {
      estimatesConnection = plan.get().connection().open();
      estimatesConnection.setAutoCommit(true);
      int socket = plan.get().tuning().socketTimeoutMs();
      estimatesConnection.setNetworkTimeout(
          Runnable::run,
          socket > 0 ? (int) Math.min(ESTIMATE_TIMEOUT_MS, socket) : (int) ESTIMATE_TIMEOUT_MS);
    }
    return estimatesConnection;
  }

  private void closeEstimatesConnection() {
    if (estimatesConnection != null) {
      try {
        estimatesConnection.close();
      } catch (SQLException ignored) {
        // estimates are hints; the next split opens another
      }
      estimatesConnection = null;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // a broken connection is replaced on the next chunk
      }
      connection = null;
    }
  }

  @Teardown
  public void teardown() {
    closeConnection();
    closeEstimatesConnection();
    if (state != null) {
      state.close();
    }
  }
}
