package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.HotChunks;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.state.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to cut a key-range chunk that the engine's statistics show holding far more rows than the
 * others ({@link HotChunks}), asked on a connection of its own: never the one chunks are read on (a
 * streaming result set there allows no other statement), autocommitting (a pooler in transaction
 * mode keeps its server connection only for each statement), and bounded by a short network timeout
 * — an estimate is a hint, never worth waiting out a frozen connection for. Any failure means no
 * cut. One per DoFn instance; not thread-safe.
 */
final class HotChunkSplitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HotChunkSplitter.class);

  /** How long an estimate may wait for the source's bytes. */
  private static final int ESTIMATE_TIMEOUT_MS = 10_000;

  /** The average chunk is estimated from at most this many chunks. */
  private static final int MAX_SAMPLED_CHUNKS = 256;

  /** At most this many restrictions from one hot chunk. */
  private static final int MAX_PIECES = 16;

  private final ExportPlan plan;
  private final StateStore state;
  private final List<ChunkSpec> ranges;
  private Connection connection;

  /** The estimated rows of all key-range chunks (negative: unknown); null until first asked. */
  private Long total;

  /**
   * Cuts the hot chunks of {@code plan}, journaling each cut in {@code state} (null: a read, which
   * has no state store).
   */
  HotChunkSplitter(ExportPlan plan, StateStore state) {
    this.plan = plan;
    this.state = state;
    this.ranges = plan.chunks().stream().filter(c -> c.kind() == ChunkSpec.Kind.RANGE).toList();
  }

  /**
   * Cut points strictly inside a whole key-range chunk, ascending; none when it is not hot, cannot
   * be estimated, or {@code RIVET_SPLIT_HOT_CHUNKS=false}.
   */
  List<Long> cuts(ChunkSpec chunk) {
    if ("false".equalsIgnoreCase(System.getenv("RIVET_SPLIT_HOT_CHUNKS"))
        || chunk.kind() != ChunkSpec.Kind.RANGE
        || ranges.size() < 2) {
      return List.of();
    }
    try {
      HotChunks.Estimate estimate = estimator();
      if (total == null) {
        total = sampledTotal(estimate);
      }
      if (total <= 0) {
        return List.of();
      }
      List<Long> cuts =
          HotChunks.cutPoints(estimate, chunk.lo(), chunk.hi(), total, ranges.size(), MAX_PIECES);
      if (!cuts.isEmpty() && state != null) {
        journal(chunk, estimate.rows(chunk.lo(), chunk.hi()), cuts);
      }
      return cuts;
    } catch (RuntimeException | SQLException | JsonProcessingException e) {
      close();
      // An estimate is a hint: without one the chunk is read whole, as planned.
      LOG.debug("export '{}', chunk {}: no estimate ({})", plan.exportName(), chunk.index(), e);
      return List.of();
    }
  }

  private HotChunks.Estimate estimator() throws SQLException {
    Connection c = connection();
    Dialect dialect = plan.connection().dialect();
    ReadSpec spec = plan.readSpec();
    return (from, to) -> {
      try {
        return dialect.rangeRowEstimate(c, spec, from, to).orElse(-1);
      } catch (SQLException e) {
        close();
        return -1;
      }
    };
  }

  /**
   * The sum of the chunks' own estimates (of a spread sample of them when there are many): an
   * estimate over the whole key span may be made another way (MariaDB's index dives sample a long
   * range differently) and would make ordinary chunks look hot.
   */
  private long sampledTotal(HotChunks.Estimate estimate) {
    int step = Math.max(1, ranges.size() / MAX_SAMPLED_CHUNKS);
    long sum = 0;
    int sampled = 0;
    for (int i = 0; i < ranges.size(); i += step) {
      long rows = estimate.rows(ranges.get(i).lo(), ranges.get(i).hi());
      if (rows < 0) {
        return -1;
      }
      sum += rows;
      sampled++;
    }
    return sum * ranges.size() / sampled;
  }

  private void journal(ChunkSpec chunk, long rows, List<Long> cuts) throws JsonProcessingException {
    long average = total / ranges.size();
    state.journal(
        plan.runId(),
        plan.exportName(),
        "ChunkSplit",
        Json.MAPPER.writeValueAsString(
            Map.of(
                "chunk_index",
                chunk.index(),
                "estimated_rows",
                rows,
                "average_rows",
                average,
                "cut_points",
                cuts)));
    LOG.info(
        "export '{}', chunk {}: about {} rows, {}× an average chunk; read as {} restrictions",
        plan.exportName(),
        chunk.index(),
        rows,
        Math.round(rows * (double) ranges.size() / total),
        cuts.size() + 1);
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = plan.connection().open();
      connection.setAutoCommit(true);
      int socket = plan.tuning().socketTimeoutMs();
      connection.setNetworkTimeout(
          Runnable::run, socket > 0 ? Math.min(ESTIMATE_TIMEOUT_MS, socket) : ESTIMATE_TIMEOUT_MS);
    }
    return connection;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // estimates are hints; the next split opens another connection
      }
      connection = null;
    }
  }
}
