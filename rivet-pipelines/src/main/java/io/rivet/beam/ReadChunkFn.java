package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.extract.SessionGuard;
import io.rivet.core.extract.Throttle;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.BadValueException;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowReader;
import io.rivet.core.read.RowSource;
import io.rivet.core.schema.ColumnMapping;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.Row;

/**
 * Reads chunks into rows: a splittable DoFn whose restriction is the chunk's key range (as {@link
 * ExtractChunkFn}'s), each row claimed by its key before it is emitted, so a split hands the rest
 * of the range to another worker with no row twice. Reads run in the export's session (timeouts,
 * UTC), through its dialect's reader (PostgreSQL binary COPY, MySQL streaming), paced by its
 * throttle. A failed read fails the bundle; the runner retries it, and its rows are emitted again
 * only by that retry.
 */
@DoFn.BoundedPerElement
final class ReadChunkFn extends ChunkRangeFn<ReadChunk, Row> {
  private static final long serialVersionUID = 1L;
  private final Schema schema;
  private final List<ColumnMapping> columns;

  private transient Map<String, ExportPlan> plans;
  private transient SourceConnection connection;

  ReadChunkFn(Schema schema, List<ColumnMapping> columns) {
    this.schema = schema;
    this.columns = List.copyOf(columns);
  }

  @Setup
  public void setup() {
    plans = new HashMap<>();
    connection = new SourceConnection();
  }

  private ExportPlan plan(ReadChunk c) {
    return plans.computeIfAbsent(c.planId(), id -> c.plan());
  }

  @Override
  ChunkSpec chunkOf(ReadChunk element) {
    return element.chunk();
  }

  @ProcessElement
  public ProcessContinuation process(
      @Element ReadChunk ref,
      RestrictionTracker<OffsetRange, Long> tracker,
      OutputReceiver<Row> out) {
    ExportPlan plan = plan(ref);
    ChunkSpec chunk = ref.chunk();
    ReadSpec spec = plan.readSpec();
    RowReader reader = plan.connection().dialect().rowReader(spec);
    Throttle throttle = new Throttle(plan.tuning().throttleMs(), plan.fetchRows());
    BeamRows.Sink sink = new BeamRows.Sink(schema, columns);
    OffsetRange range = tracker.currentRestriction();
    try {
      Connection c = connection.get(plan.connection());
      new SessionGuard(plan.connection().dialect(), plan.tuning())
          .run(
              c,
              () -> {
                if (chunk.keyed()) {
                  int keyIndex =
                      chunk.kind() == ChunkSpec.Kind.DENSE
                          ? spec.columns().size() + 1
                          : spec.keyIndex();
                  ReadRequest request =
                      chunk.kind() == ChunkSpec.Kind.DENSE
                          ? new ReadRequest.Dense(range.getFrom(), range.getTo())
                          : new ReadRequest.Range(range.getFrom(), range.getTo());
                  read(c, reader, request, plan, sink, out, throttle, tracker, keyIndex);
                  tracker.tryClaim(range.getTo());
                } else if (tracker.tryClaim(0L)) {
                  if (chunk.kind() == ChunkSpec.Kind.KEYSET) {
                    readPages(c, reader, plan, chunk, spec.keyIndex(), sink, out, throttle);
                  } else {
                    read(c, reader, whole(chunk), plan, sink, out, throttle, null, -1);
                  }
                  tracker.tryClaim(1L);
                }
              });
      return ProcessContinuation.stop();
    } catch (SQLException | IOException | RuntimeException e) {
      connection.close();
      if (e instanceof RivetException re) {
        throw re;
      }
      throw new RivetException(
          e instanceof BadValueException ? ErrorCode.DATA_INTEGRITY : ErrorCode.SOURCE_QUERY_FAILED,
          "read of '"
              + plan.exportName()
              + "', "
              + chunk.describe()
              + ": "
              + e.getMessage()
              + "; the runner retries the bundle (its rows are emitted again only by that retry)",
          e);
    }
  }

  private static ReadRequest whole(ChunkSpec chunk) {
    return switch (chunk.kind()) {
      case DAYS ->
          new ReadRequest.Days(LocalDate.ofEpochDay(chunk.lo()), LocalDate.ofEpochDay(chunk.hi()));
      case NULL_KEYS -> new ReadRequest.NullKeys();
      default -> new ReadRequest.Whole();
    };
  }

  /** One statement's rows as Beam rows; with a tracker, each row's key claimed first. */
  private static int read(
      Connection c,
      RowReader reader,
      ReadRequest request,
      ExportPlan plan,
      BeamRows.Sink sink,
      OutputReceiver<Row> out,
      Throttle throttle,
      RestrictionTracker<OffsetRange, Long> tracker,
      int keyIndex)
      throws SQLException {
    int rows = 0;
    int batch = 0;
    try (RowSource rs = reader.open(c, request, plan.fetchRows())) {
      while (rs.next()) {
        if (tracker != null && !tracker.tryClaim(rs.key(keyIndex))) {
          // The rest of the range was split off: another call reads it.
          rs.abandon();
          break;
        }
        rs.emit(sink);
        out.output(sink.row());
        rows++;
        if (++batch == plan.fetchRows()) {
          throttle.afterBatch(batch);
          batch = 0;
        }
      }
      return rows;
    }
  }

  /** A keyset chunk, page by page in key order. */
  private static void readPages(
      Connection c,
      RowReader reader,
      ExportPlan plan,
      ChunkSpec chunk,
      int keyIndex,
      BeamRows.Sink sink,
      OutputReceiver<Row> out,
      Throttle throttle)
      throws SQLException {
    String after = chunk.keyFrom();
    while (true) {
      ReadRequest page = new ReadRequest.KeysetPage(after, chunk.keyTo(), plan.pageRows());
      String[] last = new String[1];
      int rows;
      try (RowSource rs = reader.open(c, page, plan.fetchRows())) {
        rows = 0;
        while (rs.next()) {
          rs.markKey(keyIndex);
          rs.emit(sink);
          out.output(sink.row());
          if (++rows % plan.fetchRows() == 0) {
            throttle.afterBatch(plan.fetchRows());
          }
        }
        last[0] = rs.markedKey();
      }
      if (rows < plan.pageRows()) {
        return;
      }
      after = last[0];
    }
  }

  @Teardown
  public void teardown() {
    if (connection != null) {
      connection.close();
    }
  }
}
