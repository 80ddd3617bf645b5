package io.rivet.core.plan;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.ExportMode;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one export of a config into an {@link ExportPlan}: introspects columns and cuts the key
 * range into chunks.
 */
public final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private static final DateTimeFormatter RUN_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS").withZone(ZoneOffset.UTC);
  private static final int MAX_CHUNKS = 1_000_000;
  private static final long UNKNOWN_ROW_BYTES = 512;
  private static final long MIN_MEMORY_CHUNK_ROWS = 10_000;
  private static final long MAX_MEMORY_CHUNK_ROWS = 5_000_000;

  private final RivetConfig config;
  private final String stateUrl;

  private ConnectionSpec spec;

  /** Plans made earlier and sealed ({@code rivet apply}), replayed instead of planning again. */
  private Map<String, ExportPlan> pinned = Map.of();

  public Planner(RivetConfig config, String stateUrl) {
    this.config = config;
    this.stateUrl = stateUrl;
  }

  /**
   * This planner replaying {@code plans} (by export name) as they are — their chunk ranges, window
   * and run — instead of planning those exports again.
   */
  public Planner pinned(Map<String, ExportPlan> plans) {
    this.pinned = Map.copyOf(plans);
    return this;
  }

  /**
   * How this run connects to the source, probed once: through a pooler or proxy (reference §7.2)
   * the run logs it and applies the settings it needs by itself.
   */
  public synchronized ConnectionSpec connectionSpec() {
    if (spec == null) {
      ConnectionSpec.Probed p = ConnectionSpec.from(config.source()).probed();
      p.notice().ifPresent(LOG::warn);
      spec = p.spec();
    }
    return spec;
  }

  public static String runId(String export, Instant startedAt) {
    return export + "_" + RUN_STAMP.format(startedAt);
  }

  /**
   * Where a run of the export started now would write, without touching the source; null when the
   * path names {@code {run_id}} (every run writes elsewhere) or the destination is stdout.
   */
  public String outputDirOf(ExportConfig export, Instant startedAt) {
    var d = export.destination();
    String template = d.path() != null ? d.path() : d.prefix();
    if (d.type() == DestinationConfig.Type.STDOUT
        || (template != null && template.contains("{run_id}"))) {
      return null;
    }
    return OutputPaths.resolve(config, export, runId(export.name(), startedAt), startedAt);
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs planning queries in one read-only transaction with the export's session settings
   * (timeouts, UTC), then rolls it back and resets the session, whatever happened.
   */
  private static <T> T inPlanningSession(
      Connection c, Dialect dialect, ExportConfig export, SqlWork<T> work) throws SQLException {
    c.setNetworkTimeout(Runnable::run, export.tuning().socketTimeoutMs());
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        for (String s : dialect.sessionSetup(c, export.tuning())) {
          st.execute(s);
        }
      }
      return work.run();
    } finally {
      c.rollback();
      try (Statement st = c.createStatement()) {
        for (String s : dialect.sessionReset(c, export.tuning())) {
          st.execute(s);
        }
      }
    }
  }

  /**
   * The children of a partitioned export, one per day/month/year between the column's min and max,
   * plus NULLs.
   */
  public List<PartitionBucket> partitions(ExportConfig export) {
    ConnectionSpec spec = connectionSpec();
    Dialect dialect = spec.dialect();
    try (Connection c = spec.open()) {
      return inPlanningSession(
          c,
          dialect,
          export,
          () -> {
            String base = dialect.baseQuery(export);
            Partitions.checkColumn(export, dialect.mapColumns(c, base, export.columns()));
            return Partitions.buckets(c, dialect, export, base);
          });
    } catch (SQLException e) {
      throw new RivetException(
          ErrorCode.SOURCE_QUERY_FAILED,
          "export '"
              + export.name()
              + "': finding partitions failed: "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + "); nothing was written",
          e);
    }
  }

  /**
   * The columns an export reads and how each is mapped (the engine's metadata of its query; no row
   * is read).
   */
  public List<ColumnMapping> columns(ExportConfig export) {
    ConnectionSpec spec = connectionSpec();
    try (Connection c = spec.open()) {
      return inPlanningSession(
          c,
          spec.dialect(),
          export,
          () -> {
            List<ColumnMapping> columns =
                spec.dialect().mapColumns(c, spec.dialect().baseQuery(export), export.columns());
            ColumnChecks.check(export, columns);
            return columns;
          });
    } catch (SQLException e) {
      throw new RivetException(
          ErrorCode.SOURCE_QUERY_FAILED,
          "export '"
              + export.name()
              + "': reading its columns failed: "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + "); fix the cause and build the pipeline again",
          e);
    }
  }

  /** Plans one export, or one partition of it when {@code bucket} is given. */
  public ExportPlan plan(
      ExportConfig export, Instant startedAt, String storedCursor, PartitionBucket bucket) {
    ConnectionSpec spec = connectionSpec();
    ExportPlan sealed = pinned.get(export.name());
    if (sealed != null) {
      return sealed.withConnection(spec);
    }
    try (Connection c = spec.open()) {
      return inPlanningSession(
          c,
          spec.dialect(),
          export,
          () -> planIn(c, spec, export, startedAt, storedCursor, bucket));
    } catch (SQLException e) {
      throw new RivetException(
          ErrorCode.SOURCE_QUERY_FAILED,
          "export '"
              + export.name()
              + "': planning failed: "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + "); nothing was written, fix the cause and run again",
          e);
    }
  }

  private ExportPlan planIn(
      Connection c,
      ConnectionSpec spec,
      ExportConfig export,
      Instant startedAt,
      String storedCursor,
      PartitionBucket bucket)
      throws SQLException {
    Dialect dialect = spec.dialect();
    String base = dialect.baseQuery(export);
    List<ColumnMapping> columns = dialect.mapColumns(c, base, export.columns());
    ColumnChecks.check(export, columns);
    RowFilters.Filtered filtered = new RowFilters.Filtered(base, List.of(), null);
    if (export.mode() == ExportMode.INCREMENTAL) {
      filtered = RowFilters.incremental(c, dialect, export, base, columns, storedCursor);
    } else if (export.mode() == ExportMode.TIME_WINDOW) {
      filtered = RowFilters.timeWindow(dialect, export, base, columns, startedAt);
    }
    if (bucket != null) {
      filtered = Partitions.filter(dialect, filtered, bucket, columns, export);
    }
    // chunk_size_memory_mb resolves to rows here; the plan hash keeps the configured value
    // (PlanHash.of(export)).
    ExportConfig sized =
        export.mode() == ExportMode.CHUNKED && export.chunkSizeMemoryMb() != null
            ? export.withChunkSize(
                memoryChunkRows(export.chunkSizeMemoryMb(), dialect.avgRowBytes(c, export.table())))
            : export;
    if (export.mode() != ExportMode.CHUNKED) {
      return assemble(
          export, sized, spec, filtered, null, columns, List.of(ChunkSpec.whole(0)), startedAt);
    }
    ChunkStrategies strategies =
        new ChunkStrategies(c, dialect, sized, filtered.base(), filtered.params(), columns);
    return assemble(
        export,
        sized,
        spec,
        filtered,
        strategies.column(),
        columns,
        strategies.chunks(),
        startedAt);
  }

  private ExportPlan assemble(
      ExportConfig export,
      ExportConfig sized,
      ConnectionSpec spec,
      RowFilters.Filtered filtered,
      String chunkColumn,
      List<ColumnMapping> columns,
      List<ChunkSpec> chunks,
      Instant startedAt) {
    int rowBytes = columns.stream().mapToInt(ColumnMapping::estimatedBytes).sum();
    String runId = runId(export.name(), startedAt);
    return new ExportPlan(
        export.name(),
        runId,
        PlanHash.of(export),
        spec,
        filtered.base(),
        filtered.params(),
        chunkColumn,
        columns,
        chunks,
        export.format(),
        export.compression(),
        export.compressionLevel(),
        OutputPaths.resolve(config, export, runId, startedAt),
        export.name() + "_" + FILE_STAMP.format(startedAt),
        export.tuning().fetchRows(rowBytes),
        sized.chunkSize(),
        export.tuning(),
        export.metaColumns().exportedAt(),
        export.metaColumns().rowHash(),
        export.skipEmpty(),
        stateUrl,
        export.mode().name().toLowerCase(Locale.ROOT),
        filtered.cursor(),
        export.maxFileSizeBytes(),
        export.quality(),
        export.shapeDriftWarnFactor(),
        export.parquet() == null ? 0 : export.parquet().rowGroupBytes(rowBytes));
  }

  /**
   * Rows per chunk for {@code chunk_size_memory_mb} (reference §3.3): the budget over the table's
   * average row bytes from the catalog (512 when it does not know), kept within [10,000,
   * 5,000,000].
   */
  static int memoryChunkRows(int megabytes, OptionalLong avgRowBytes) {
    long avg =
        avgRowBytes.isPresent() && avgRowBytes.getAsLong() > 0
            ? avgRowBytes.getAsLong()
            : UNKNOWN_ROW_BYTES;
    return (int)
        Math.max(
            MIN_MEMORY_CHUNK_ROWS, Math.min(MAX_MEMORY_CHUNK_ROWS, ((long) megabytes << 20) / avg));
  }

  static List<ChunkSpec> ranges(ExportConfig export, long min, long max) {
    if (max == Long.MAX_VALUE) {
      throw new RivetException(
          ErrorCode.NOT_SUPPORTED_YET,
          "export '"
              + export.name()
              + "': the chunk column holds "
              + Long.MAX_VALUE
              + ", which range chunking does not handle: not supported yet; use mode: full");
    }
    long span;
    try {
      span = Math.addExact(Math.subtractExact(max, min), 1);
    } catch (ArithmeticException e) {
      throw new RivetException(
          ErrorCode.NOT_SUPPORTED_YET,
          "export '"
              + export.name()
              + "': the chunk column spans more than 2^63 values, which range chunking does not handle: not supported yet; use mode: full");
    }
    long size =
        export.chunkCount() != null
            ? Math.max(1, (span + export.chunkCount() - 1) / export.chunkCount())
            : export.chunkSize();
    if ((span + size - 1) / size > MAX_CHUNKS) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "exports["
              + export.name()
              + "].chunk_size: "
              + size
              + " would cut keys "
              + min
              + ".."
              + max
              + " into more than "
              + MAX_CHUNKS
              + " chunks; raise chunk_size or set chunk_count");
    }
    List<ChunkSpec> out = new ArrayList<>();
    long lo = min;
    while (lo <= max) {
      long hi = max - lo < size ? max + 1 : lo + size;
      out.add(ChunkSpec.range(out.size(), lo, hi));
      lo = hi;
    }
    return out;
  }
}
