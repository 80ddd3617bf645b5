package io.rivet.core.extract;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.write.ParquetPartWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot loop: a chunk (or a sub-range of it, or one keyset page) streamed from the source straight into one
 * Parquet part, which is committed (made visible) only after its footer is written.
 */
public final class ChunkExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkExtractor.class);

  private final ExportPlan plan;
  private final Dialect dialect;
  private final PartStore store;

  /** Receives each committed keyset page; {@code lastPage} is true for the page that ends the chunk. */
  @FunctionalInterface
  public interface PageSink {
    void committed(PartRecord page, boolean lastPage);
  }

  public ChunkExtractor(ExportPlan plan, PartStore store) {
    this.plan = plan;
    this.dialect = plan.connection().dialect();
    this.store = store;
  }

  /**
   * Reads {@code [from, to)} of a range or dense chunk, claiming each row's key or ordinal before writing it, or
   * the whole of any other non-keyset chunk. Returns the committed part, or null when it held no rows.
   *
   * @param currentEnd the end of the range after any split, read when the part is committed
   */
  public PartRecord extract(Connection c, ChunkSpec chunk, long from, long to, KeyClaims claims, LongSupplier currentEnd) {
    String sql = switch (chunk.kind()) {
      case RANGE -> dialect.rangeQuery(plan.baseQuery(), plan.chunkColumn());
      case DENSE -> dialect.denseQuery(plan.baseQuery(), plan.chunkColumn());
      case DAYS -> dialect.daysQuery(plan.baseQuery(), plan.chunkColumn());
      case NULL_KEYS -> dialect.nullKeyQuery(plan.baseQuery(), plan.chunkColumn());
      case WHOLE -> plan.baseQuery();
      case KEYSET -> throw new IllegalArgumentException("keyset chunks are read by extractKeyset");
    };
    Read read = new Read(chunk, plan.partName(chunk, from), chunk.keyed() ? claims : null,
        chunk.kind() == ChunkSpec.Kind.DENSE ? plan.columns().size() + 1 : keyIndex(), -1);
    read.run(c, sql, ps -> {
      if (chunk.keyed()) {
        ps.setLong(1, from);
        ps.setLong(2, to);
      } else if (chunk.kind() == ChunkSpec.Kind.DAYS) {
        ps.setObject(1, LocalDate.ofEpochDay(chunk.lo()));
        ps.setObject(2, LocalDate.ofEpochDay(chunk.hi()));
      }
    });
    if (read.result == null) {
      return null;
    }
    long end = chunk.keyed() ? currentEnd.getAsLong() : chunk.hi();
    return part(chunk, read, from, end, null);
  }

  /**
   * Reads a keyset chunk page by page after key {@code after} (exclusive; null = from the chunk's start), each
   * page of {@code pageRows} rows its own committed part, numbered from {@code firstPage}.
   */
  public void extractKeyset(Connection c, ChunkSpec chunk, String after, int firstPage, PageSink sink) {
    String lower = after != null ? after : chunk.keyFrom();
    int page = firstPage;
    while (true) {
      boolean hasLower = lower != null;
      String sql = dialect.keysetPageQuery(plan.baseQuery(), plan.chunkColumn(), hasLower, chunk.keyTo() != null);
      Read read = new Read(chunk, plan.partName(chunk, page), null, keyIndex(), plan.pageRows());
      String lowerKey = lower;
      read.run(c, sql, ps -> {
        int i = 1;
        if (hasLower) {
          dialect.bindKey(ps, i++, plan.keyColumn(), lowerKey);
        }
        if (chunk.keyTo() != null) {
          dialect.bindKey(ps, i++, plan.keyColumn(), chunk.keyTo());
        }
        ps.setInt(i, plan.pageRows());
      });
      boolean last = read.rows < plan.pageRows();
      if (read.result == null) {
        sink.committed(PartRecord.empty(plan.runId(), plan.exportName(), chunk.index(), 0, 1), true);
        return;
      }
      // A page covers nothing of the [0, 1) restriction until the last one, which completes the chunk.
      sink.committed(part(chunk, read, 0, last ? 1 : 0, read.lastKey), last);
      if (last) {
        return;
      }
      lower = read.lastKey;
      page++;
    }
  }

  private PartRecord part(ChunkSpec chunk, Read read, long from, long end, String lastKey) {
    ParquetPartWriter.Result r = read.result;
    r.zeroDates().forEach((column, count) -> LOG.warn("export '{}', {}: {} zero date(s) (0000-00-00) in column {}"
        + " written as NULL (policy: zero dates become NULL)", plan.exportName(), chunk.describe(), count, column));
    return new PartRecord(plan.runId(), plan.exportName(), chunk.index(), from, end, read.name, r.rows(), r.bytes(),
        r.fingerprint(), lastKey);
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** One statement streamed into one part. */
  private final class Read {
    private final ChunkSpec chunk;
    private final String name;
    private final KeyClaims claims;
    private final int keyIndex;
    private final int limit;
    private ParquetPartWriter writer;
    private ParquetPartWriter.Result result;
    private long rows;
    private long lastClaim;
    private String lastKey;

    Read(ChunkSpec chunk, String name, KeyClaims claims, int keyIndex, int limit) {
      this.chunk = chunk;
      this.name = name;
      this.claims = claims;
      this.keyIndex = keyIndex;
      this.limit = limit;
    }

    void run(Connection c, String sql, Binder binder) {
      try {
        dialect.prepareForStreaming(c);
        execute(c, dialect.sessionSetup(c, plan.tuning()));
        try {
          stream(c, sql, binder);
        } finally {
          execute(c, dialect.sessionReset(c, plan.tuning()));
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
        if (writer != null) {
          result = writer.finish();
          store.commit(name);
        }
      } catch (SQLException e) {
        abort();
        ErrorClass cls = dialect.classify(e);
        throw new RivetException(cls == ErrorClass.PERMANENT ? ErrorCode.SOURCE_QUERY_FAILED : ErrorCode.SOURCE_TRANSIENT,
            where() + ": the source failed (SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ", "
                + cls.name().toLowerCase() + "): " + e.getMessage() + "; " + resumeHint(), e);
      } catch (IllegalArgumentException e) {
        abort();
        throw new RivetException(ErrorCode.VALUE_INVALID, where() + (claims != null ? ", key " + lastClaim : "") + ": "
            + e.getMessage() + "; " + resumeHint(), e);
      } catch (IOException e) {
        abort();
        throw new RivetException(ErrorCode.DESTINATION_FAILED, where() + ": writing " + name + " to " + plan.outputDir()
            + " failed: " + e.getMessage() + "; " + resumeHint(), e);
      }
    }

    private void stream(Connection c, String sql, Binder binder) throws SQLException, IOException {
      try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(dialect.fetchSize(plan.fetchRows()));
        ps.setQueryTimeout(dialect.queryTimeoutSeconds(plan.tuning()));
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          int batch = 0;
          while (rs.next()) {
            if (claims != null) {
              lastClaim = rs.getLong(keyIndex);
              if (!claims.tryClaim(lastClaim)) {
                break;
              }
            }
            if (writer == null) {
              Long exportedAt = plan.exportedAtColumn() ? micros(Instant.now()) : null;
              writer = new ParquetPartWriter(store.create(name), plan, exportedAt);
            }
            writer.write(rs);
            rows++;
            if (limit > 0) {
              lastKey = rs.getString(keyIndex);
            }
            if (++batch == plan.fetchRows()) {
              Progress.add(batch);
              batch = 0;
              throttle();
            }
          }
          Progress.add(batch);
        }
      }
    }

    private void abort() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException | RuntimeException ignored) {
          // the temporary part is dropped below either way
        }
        store.abort(name);
      }
    }

    private String where() {
      return "export '" + plan.exportName() + "', " + chunk.describe();
    }
  }

  private static void execute(Connection c, Iterable<String> statements) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static String resumeHint() {
    return "parts already committed are kept; 'rivet run --resume' continues this run";
  }

  private int keyIndex() {
    if (plan.chunkColumn() == null) {
      return -1;
    }
    for (int i = 0; i < plan.columns().size(); i++) {
      if (plan.columns().get(i).name().equals(plan.chunkColumn())) {
        return i + 1;
      }
    }
    throw new IllegalStateException("chunk column " + plan.chunkColumn() + " is not among the columns");
  }

  private void throttle() {
    if (plan.tuning().throttleMs() > 0) {
      try {
        Thread.sleep(plan.tuning().throttleMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
