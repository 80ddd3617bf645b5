package io.rivet.core.extract;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.FileFormat;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.postgres.PgBinaryRow;
import io.rivet.core.dialect.postgres.PgCopyStream;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.write.BadValueException;
import io.rivet.core.write.PartWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot loop: a chunk (or a sub-range of it, or one keyset page) streamed from the source straight into one
 * Parquet part, which is committed (made visible) only after its footer is written.
 */
public final class ChunkExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkExtractor.class);

  /** The first fetch of a memory-sized read. */
  static final int PROBE_ROWS = 500;
  private static final long FIXED_BYTES_PER_COLUMN = 24;
  /** A sliced read's target duration of one statement (see {@code Read.runSlices}). */
  static final long STATEMENT_TARGET_NANOS = 500_000_000L;
  /** A sliced read starts with this fraction of the range, before it knows the pace. */
  static final int FIRST_SLICES = 16;
  /** The most a single fetch round trip holds, in estimated Java bytes (see {@link #fetchRows}). */
  static final long ROUND_TRIP_BYTES = 4L * 1024 * 1024;

  private final ExportPlan plan;
  private final Dialect dialect;
  private final PartStore store;

  /** Receives each committed keyset page; {@code lastPage} is true for the page that ends the chunk. */
  @FunctionalInterface
  public interface PageSink {
    void committed(PartRecord page, boolean lastPage);
  }

  /**
   * Whether range chunks stream as binary COPY (PostgreSQL, Parquet, every column decodable, no row hash — which
   * hashes the driver's text — and no base-query parameters, which COPY cannot take).
   */
  private final boolean binaryCopy;

  /**
   * The key span the last sliced statement suggested for the next one (keys read per {@link
   * #STATEMENT_TARGET_NANOS} at its pace), carried into the next chunk this extractor reads: chunks of one export
   * have about the same density, so a chunk that fits in one statement's time is read in one statement instead of
   * starting again at a sixteenth (each statement boundary stops the server's streaming). -1 until measured.
   */
  private long sliceKeys = -1;

  /** The same for keyset pages: the rows the last sub-page statement suggested for the next one. -1 until measured. */
  private long sliceRows = -1;

  public ChunkExtractor(ExportPlan plan, PartStore store) {
    this.plan = plan;
    this.dialect = plan.connection().dialect();
    this.store = store;
    this.binaryCopy = plan.format() == FileFormat.PARQUET && !plan.rowHashColumn() && plan.baseParams().isEmpty()
        && dialect.readsBinaryCopy(plan.columns());
  }

  /**
   * Reads {@code [from, to)} of a range or dense chunk, claiming each row's key or ordinal before writing it, or
   * the whole of any other non-keyset chunk. Returns the committed parts in order — more than one when
   * {@code max_file_size} cut the stream — or none when it held no rows.
   *
   * @param currentEnd the end of the range after any split, read when the last part is committed
   */
  public List<PartRecord> extract(Connection c, ChunkSpec chunk, long from, long to, KeyClaims claims, LongSupplier currentEnd) {
    String sql = switch (chunk.kind()) {
      case RANGE -> dialect.rangeQuery(plan.baseQuery(), plan.chunkColumn());
      case DENSE -> dialect.denseQuery(plan.baseQuery(), plan.chunkColumn());
      case DAYS -> dialect.daysQuery(plan.baseQuery(), plan.chunkColumn());
      case NULL_KEYS -> dialect.nullKeyQuery(plan.baseQuery(), plan.chunkColumn());
      case WHOLE -> plan.baseQuery();
      case KEYSET -> throw new IllegalArgumentException("keyset chunks are read by extractKeyset");
    };
    Read read = new Read(chunk, from, chunk.keyed() ? claims : null,
        chunk.kind() == ChunkSpec.Kind.DENSE ? plan.columns().size() + 1 : keyIndex(), -1);
    Optional<String> copyDays = chunk.kind() == ChunkSpec.Kind.DAYS && binaryCopy
        ? dialect.binaryCopyDays(plan.baseQuery(), plan.chunkColumn(), LocalDate.ofEpochDay(chunk.lo()), LocalDate.ofEpochDay(chunk.hi()))
        : Optional.empty();
    if (chunk.kind() == ChunkSpec.Kind.RANGE && binaryCopy) {
      read.runSlices(c, from, to, currentEnd,
          (a, b) -> read.streamCopy(c, dialect.binaryCopyRange(plan.baseQuery(), plan.chunkColumn(), a, b)));
    } else if (copyDays.isPresent()) {
      read.runCopy(c, copyDays.get(), plan.columns().size());
    } else if ((chunk.kind() == ChunkSpec.Kind.WHOLE || chunk.kind() == ChunkSpec.Kind.NULL_KEYS) && binaryCopy) {
      read.runCopy(c, dialect.binaryCopyOf(sql), plan.columns().size());
    } else if (chunk.kind() == ChunkSpec.Kind.DENSE && binaryCopy) {
      // One statement per chunk, as on the cursor path: each one numbers the whole query's rows again.
      read.runCopy(c, dialect.binaryCopyDense(plan.baseQuery(), plan.chunkColumn(), from, to), plan.columns().size() + 1);
    } else if (chunk.kind() == ChunkSpec.Kind.RANGE && dialect.streamsWholeStatement()) {
      read.runSlices(c, from, to, currentEnd, (a, b) -> read.stream(c, sql, (ps, i) -> {
        ps.setLong(i, a);
        ps.setLong(i + 1, b);
      }));
    } else {
      read.run(c, sql, (ps, i) -> {
        if (chunk.keyed()) {
          ps.setLong(i, from);
          ps.setLong(i + 1, to);
        } else if (chunk.kind() == ChunkSpec.Kind.DAYS) {
          ps.setObject(i, LocalDate.ofEpochDay(chunk.lo()));
          ps.setObject(i + 1, LocalDate.ofEpochDay(chunk.hi()));
        }
      });
    }
    List<PartRecord> parts = new ArrayList<>();
    for (int p = 0; p < read.finished.size(); p++) {
      Finished f = read.finished.get(p);
      boolean last = p == read.finished.size() - 1;
      long end = !last ? f.endKey : chunk.keyed() ? currentEnd.getAsLong() : chunk.hi();
      // Parts of an indivisible chunk cover nothing of it until the last one, which completes it.
      long start = chunk.keyed() ? f.startKey : last ? chunk.lo() : chunk.lo();
      parts.add(part(chunk, f, start, chunk.keyed() || last ? end : chunk.lo(), null));
    }
    return parts;
  }

  /**
   * Reads a keyset chunk page by page after key {@code after} (exclusive; null = from the chunk's start), each
   * page of {@code pageRows} rows its own committed part, numbered from {@code firstPage}.
   */
  public void extractKeyset(Connection c, ChunkSpec chunk, String after, int firstPage, PageSink sink) {
    String lower = after != null ? after : chunk.keyFrom();
    int page = firstPage;
    while (true) {
      Read read = new Read(chunk, page, null, keyIndex(), plan.pageRows());
      if (binaryCopy) {
        read.runPageSlices(c, lower, chunk.keyTo(), (from, upTo, n) -> read.streamCopy(c,
            dialect.binaryCopyKeysetPage(plan.baseQuery(), plan.chunkColumn(), plan.keyColumn(), from, upTo, n)));
      } else if (dialect.streamsWholeStatement()) {
        read.runPageSlices(c, lower, chunk.keyTo(), (from, upTo, n) -> read.stream(c,
            dialect.keysetPageQuery(plan.baseQuery(), plan.chunkColumn(), from != null, upTo != null), keysetBinder(from, upTo, n)));
      } else {
        String sql = dialect.keysetPageQuery(plan.baseQuery(), plan.chunkColumn(), lower != null, chunk.keyTo() != null);
        read.run(c, sql, keysetBinder(lower, chunk.keyTo(), plan.pageRows()));
      }
      boolean last = read.rows < plan.pageRows();
      if (read.finished.isEmpty()) {
        sink.committed(PartRecord.empty(plan.runId(), plan.exportName(), chunk.index(), 0, 1), true);
        return;
      }
      // A page covers nothing of the [0, 1) restriction until the last one, which completes the chunk.
      sink.committed(part(chunk, read.finished.get(0), 0, last ? 1 : 0, read.lastKey), last);
      if (last) {
        return;
      }
      lower = read.lastKey;
      page++;
    }
  }

  private PartRecord part(ChunkSpec chunk, Finished f, long from, long end, String lastKey) {
    PartWriter.Result r = f.result;
    r.zeroDates().forEach((column, count) -> LOG.warn("export '{}', {}: {} zero date(s) (0000-00-00) in column {}"
        + " written as NULL (policy: zero dates become NULL)", plan.exportName(), chunk.describe(), count, column));
    return new PartRecord(plan.runId(), plan.exportName(), chunk.index(), from, end, f.name, r.rows(), r.bytes(),
        r.fingerprint(), lastKey, r.maxBytes(), r.md5(), f.storeTag());
  }

  private interface Body {
    void run() throws SQLException, IOException;
  }

  /** Reads the key sub-range {@code [from, to)} of a sliced read as one statement. */
  private interface SliceReader {
    void read(long from, long to) throws SQLException, IOException;
  }

  /** Reads at most {@code rows} rows of a keyset page after key {@code after} (up to {@code upTo}) as one statement. */
  private interface PageSliceReader {
    void read(String after, String upTo, int rows) throws SQLException, IOException;
  }

  /**
   * The rows of one statement as the loop sees them: a JDBC result set, or a PostgreSQL binary COPY stream (see
   * {@link Read#streamCopy}).
   */
  private interface Rows {
    boolean next() throws SQLException;

    /** The integer chunk key of the current row (column {@code index}, 1-based). */
    long key(int index) throws SQLException;

    /** Remembers the current row's keyset key (column {@code index}, 1-based), to be read by {@link #markedKey}. */
    void markKey(int index) throws SQLException;

    /** The keyset key last remembered, as text (the key of the statement's last row once it has ended). */
    String markedKey();

    void writeTo(PartWriter writer) throws SQLException, IOException;

    /** Asks for batches of {@code rows} from now on, where the driver fetches in batches. */
    void fetchSize(int rows) throws SQLException;
  }

  private interface Binder {
    /** Binds the statement's own parameters, the first at {@code first} (the base query's come before). */
    void bind(PreparedStatement ps, int first) throws SQLException;
  }

  /** A part whose footer is written and which is committed; keyed parts know the key range they started and end at. */
  private record Finished(String name, PartWriter.Result result, long startKey, long endKey, String storeTag) {}

  /**
   * One statement streamed into parts: one, or several when {@code max_file_size} is reached (cut only where the
   * key changes, so a key never spans two parts).
   */
  private final class Read {
    private final ChunkSpec chunk;
    private final long nameFrom;
    private final KeyClaims claims;
    private final int keyIndex;
    private final int limit;
    private final List<Finished> finished = new ArrayList<>();
    private PartWriter writer;
    private String name;
    private long partStart;
    private long rows;
    private long lastClaim;
    private String lastKey;
    /** Rows per batch (throttle, adaptive sizing), kept across the statements of a sliced read. */
    private int fetch = -1;
    /** A claim was refused (the range was split): no more statements. */
    private boolean stopped;
    /** Sliced reads sleep the throttle after each statement, not inside it. */
    private boolean deferThrottle;
    private long owedThrottleMs;

    Read(ChunkSpec chunk, long nameFrom, KeyClaims claims, int keyIndex, int limit) {
      this.chunk = chunk;
      this.nameFrom = nameFrom;
      this.claims = claims;
      this.keyIndex = keyIndex;
      this.limit = limit;
    }

    private String nextName(long key) {
      if (chunk.keyed()) {
        return plan.partName(chunk, key);
      }
      String base = plan.partName(chunk, nameFrom);
      return finished.isEmpty() ? base : base.replace("." + plan.format().extension(),
          "_part" + (finished.size() + 1) + "." + plan.format().extension());
    }

    private void finishPart(long endKey) throws IOException {
      PartWriter.Result r = writer.finish();
      String tag = store.commit(name);
      finished.add(new Finished(name, r, partStart, endKey, tag));
      writer = null;
    }

    void run(Connection c, String sql, Binder binder) {
      guarded(c, () -> stream(c, sql, binder));
    }

    /** Reads the whole chunk as one binary COPY statement of rows {@code fields} wide. */
    void runCopy(Connection c, String copySql, int fields) {
      guarded(c, () -> streamCopy(c, copySql, fields));
    }

    /**
     * Reads the key range {@code [from, to)} as consecutive sub-range statements of about
     * {@link #STATEMENT_TARGET_NANOS} each (the first is sized from the pace of the last chunk this extractor read,
     * or is a sixteenth of the range before any; each next one is sized from the keys per second the last one read,
     * growing at most fourfold), all into the same part. For engines whose driver streams a whole statement, and
     * for PostgreSQL binary COPY, this keeps each statement — and the read view the server holds for it — short, and
     * the throttle sleeps between statements, with none open.
     */
    void runSlices(Connection c, long from, long to, LongSupplier currentEnd, SliceReader slice) {
      deferThrottle = true;
      guarded(c, () -> {
        long lo = from;
        long step = sliceKeys > 0 ? sliceKeys : Math.max(1, span(from, to) / FIRST_SLICES);
        while (!stopped) {
          long end = Math.min(to, currentEnd.getAsLong());
          if (lo >= end) {
            break;
          }
          long hi = span(lo, end) <= step ? end : lo + step;
          long rowsBefore = rows;
          long started = System.nanoTime();
          slice.read(lo, hi);
          long elapsed = System.nanoTime() - started;
          payThrottle();
          step = nextSlice(hi - lo, rows - rowsBefore, elapsed, STATEMENT_TARGET_NANOS);
          if (rows > rowsBefore) {
            sliceKeys = step;
          }
          lo = hi;
        }
      });
    }

    /**
     * Reads one keyset page as consecutive sub-page statements ({@code key > last … LIMIT n}: the first a sixteenth
     * of the page, each next sized from the rows per second the last one read, growing at most fourfold), all into
     * the page's part — the keyset form of {@link #runSlices}, for engines whose driver streams a whole statement and
     * for PostgreSQL binary COPY.
     * Keys are unique (the planner proved it), so continuing after the last key read skips and repeats nothing.
     */
    void runPageSlices(Connection c, String after, String upTo, PageSliceReader slice) {
      deferThrottle = true;
      guarded(c, () -> {
        String lower = after;
        long step = sliceRows > 0 ? sliceRows : Math.max(1, limit / FIRST_SLICES);
        while (rows < limit) {
          int n = (int) Math.min(step, limit - rows);
          long rowsBefore = rows;
          long started = System.nanoTime();
          slice.read(lower, upTo, n);
          long read = rows - rowsBefore;
          payThrottle();
          if (read < n) {
            break;
          }
          lower = lastKey;
          step = nextSlice(n, read, System.nanoTime() - started, STATEMENT_TARGET_NANOS);
          sliceRows = step;
        }
      });
    }

    private void guarded(Connection c, Body body) {
      try {
        // A read that waits longer than this for the server's next bytes is a stalled connection (a frozen proxy, a
        // dead peer): the driver fails it and the chunk is retried on a new connection.
        c.setNetworkTimeout(Runnable::run, plan.tuning().socketTimeoutMs());
        dialect.prepareForStreaming(c);
        execute(c, dialect.sessionSetup(c, plan.tuning()));
        try {
          body.run();
        } finally {
          execute(c, dialect.sessionReset(c, plan.tuning()));
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
        if (writer != null) {
          finishPart(Long.MAX_VALUE);
        }
      } catch (SQLException e) {
        abort();
        ErrorClass cls = dialect.classify(e);
        throw new io.rivet.core.dialect.SourceFailure(cls, e.getSQLState(), e.getErrorCode(),
            where() + ": the source failed (SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ", "
                + cls.name().toLowerCase() + "): " + e.getMessage() + "; " + resumeHint(), e);
      } catch (BadValueException e) {
        abort();
        throw new RivetException(ErrorCode.VALUE_INVALID, where() + (claims != null ? ", key " + lastClaim : "") + ": "
            + e.getMessage() + "; " + resumeHint(), e);
      } catch (IOException e) {
        abort();
        throw new RivetException(ErrorCode.DESTINATION_FAILED, where() + ": writing " + name + " to " + plan.outputDir()
            + " failed: " + e.getMessage() + "; " + resumeHint(), e);
      }
    }

    void stream(Connection c, String sql, Binder binder) throws SQLException, IOException {
      try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        // Memory-sized fetches start with a small probe and then follow the width of the rows actually seen, so
        // a table of wide rows never fills the heap on the planner's estimate (the original probes 500 rows too).
        if (fetch < 0) {
          fetch = plan.tuning().memorySized() ? Math.min(PROBE_ROWS, plan.fetchRows()) : plan.fetchRows();
        }
        ps.setFetchSize(dialect.fetchSize(fetch));
        ps.setQueryTimeout(dialect.queryTimeoutSeconds(plan.tuning()));
        int first = 1;
        for (var v : plan.baseParams()) {
          v.bind(ps, first++);
        }
        binder.bind(ps, first);
        try (ResultSet rs = ps.executeQuery()) {
          consume(new Rows() {
            @Override
            public boolean next() throws SQLException {
              return rs.next();
            }

            @Override
            public long key(int index) throws SQLException {
              return rs.getLong(index);
            }

            private String key;

            @Override
            public void markKey(int index) throws SQLException {
              key = rs.getString(index);
            }

            @Override
            public String markedKey() {
              return key;
            }

            @Override
            public void writeTo(PartWriter w) throws SQLException, IOException {
              w.write(rs);
            }

            @Override
            public void fetchSize(int rows) throws SQLException {
              rs.setFetchSize(dialect.fetchSize(rows));
            }
          });
        }
      }
    }

    /**
     * One statement (a sub-range, a keyset sub-page, a window or a whole query) as PostgreSQL binary COPY: rows
     * arrive without fetch requests, so the server produces the next ones while these are written. Stopping early
     * (a refused claim) drains the rest of the statement (see {@link PgCopyStream#close}), a sub-range or one window;
     * a failure abandons it instead, and the connection, left mid-copy, is closed by the caller (every failure of a
     * chunk discards its connection).
     */
    void streamCopy(Connection c, String copySql) throws SQLException, IOException {
      streamCopy(c, copySql, plan.columns().size());
    }

    /** The same for rows of {@code fields} fields: the columns, then any the statement adds (a dense ordinal). */
    void streamCopy(Connection c, String copySql, int fields) throws SQLException, IOException {
      if (fetch < 0) {
        fetch = plan.fetchRows();
      }
      try (PgCopyStream copy = PgCopyStream.open(c, copySql, fields)) {
        PgBinaryRow row = copy.row();
        try {
          consumeCopy(copy, row);
        } catch (SQLException | IOException | RuntimeException e) {
          copy.abandon();
          throw e;
        }
      }
    }

    private void consumeCopy(PgCopyStream copy, PgBinaryRow row) throws SQLException, IOException {
      consume(new Rows() {
        @Override
        public boolean next() throws SQLException {
          return copy.next();
        }

        @Override
        public long key(int index) {
          return row.integer(index - 1);
        }

        private byte[] keyBytes;
        private int keyAt;
        private int keyLength;

        @Override
        public void markKey(int index) {
          keyBytes = row.buffer();
          keyAt = row.offset(index - 1);
          keyLength = row.length(index - 1);
        }

        @Override
        public String markedKey() {
          return PgBinaryRow.keyText(keyBytes, keyAt, keyLength, PgBinaryRow.form(plan.keyColumn()));
        }

        @Override
        public void writeTo(PartWriter w) throws IOException {
          w.write(row);
        }

        @Override
        public void fetchSize(int rows) {
          // the server streams; there are no fetches to size
        }
      });
    }

    private void consume(Rows rs) throws SQLException, IOException {
      int batch = 0;
      long previousKey = Long.MIN_VALUE;
      boolean marked = false;
      while (rs.next()) {
        if (claims != null) {
          lastClaim = rs.key(keyIndex);
          if (!claims.tryClaim(lastClaim)) {
            stopped = true;
            break;
          }
        }
        if (writer != null && plan.maxFileSizeBytes() > 0 && chunk.kind() != ChunkSpec.Kind.KEYSET
            && writer.dataSize() >= plan.maxFileSizeBytes()
            && (claims == null || lastClaim != previousKey)) {
          finishPart(lastClaim);
        }
        if (writer == null) {
          Long exportedAt = plan.exportedAtColumn() ? micros(Instant.now()) : null;
          partStart = claims != null ? (finished.isEmpty() ? nameFrom : lastClaim) : nameFrom;
          name = nextName(partStart);
          writer = PartWriter.open(store.create(name), plan, exportedAt);
        }
        previousKey = lastClaim;
        rs.writeTo(writer);
        if (rows++ == 0) {
          FaultInjection.at("mid-chunk");
        }
        if (limit > 0) {
          rs.markKey(keyIndex);
          marked = true;
        }
        if (++batch == fetch) {
          Progress.add(batch);
          throttle(batch);
          batch = 0;
          if (plan.tuning().memorySized() && writer != null) {
            fetch = adaptedFetch();
            rs.fetchSize(fetch);
          }
        }
      }
      if (marked) {
        // decoded once per statement: only the last row's key bounds the next sub-page and ends the page's part
        lastKey = rs.markedKey();
      }
      Progress.add(batch);
      if (deferThrottle) {
        throttle(batch);
      }
    }

    /** Sleeps the throttle time owed for the rows of the statement that just ended. */
    private void payThrottle() {
      if (owedThrottleMs > 0) {
        try {
          Thread.sleep(owedThrottleMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        owedThrottleMs = 0;
      }
    }

    /** The reference's throttle: {@code throttle_ms · rows in the batch / configured batch}, so small fetches sleep less. */
    private void throttle(int batchRows) {
      if (plan.tuning().throttleMs() > 0 && batchRows > 0) {
        long ms = Math.max(1, (long) plan.tuning().throttleMs() * batchRows / Math.max(1, plan.fetchRows()));
        if (deferThrottle) {
          owedThrottleMs += ms;
          return;
        }
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private int adaptedFetch() {
      return fetchRows(plan.columns().size(), writer.variableBytes(), writer.rows(),
          plan.tuning().batchSizeMemoryMb() == null ? 32 : plan.tuning().batchSizeMemoryMb());
    }

    private void abort() {
      if (writer != null && name != null) {
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

  /**
   * Rows per fetch round trip: the memory budget divided by the width of the rows seen so far (fixed-width columns
   * plus their text and binary bytes; a fetched row costs the driver about twice its raw width in Java objects),
   * and never more than {@link #ROUND_TRIP_BYTES}. A batch of the budget's size is read in several round trips
   * then: each round trip's rows are written and dropped before the next arrives, so they die young in the heap
   * instead of being promoted and collected by full GCs (measured in docs/performance.md), and the throttle still
   * sleeps in proportion to the rows read.
   */
  static int fetchRows(int columns, long variableBytesSeen, long rowsSeen, int budgetMb) {
    long width = FIXED_BYTES_PER_COLUMN * columns + variableBytesSeen / Math.max(1, rowsSeen);
    long bytes = Math.min((long) budgetMb * 1024 * 1024, ROUND_TRIP_BYTES);
    return (int) Math.max(100, Math.min(150_000, bytes / (width * 2)));
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

  /** {@code to - from} for {@code from < to}, saturated at Long.MAX_VALUE when it overflows. */
  static long span(long from, long to) {
    long d = to - from;
    return d < 0 ? Long.MAX_VALUE : d;
  }

  /**
   * The next sub-range of a sliced read, in keys: as many as the last statement read in {@code targetNanos} at its
   * pace, at least one, at most four times the last (a sub-range without rows says nothing of the pace: widen).
   */
  static long nextSlice(long keys, long rowsRead, long elapsedNanos, long targetNanos) {
    long most = keys > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : keys * 4;
    if (rowsRead == 0 || elapsedNanos <= 0) {
      return Math.max(1, most);
    }
    double next = (double) keys * targetNanos / elapsedNanos;
    return Math.max(1, next >= most ? most : (long) next);
  }

  /** Binds a keyset page: after {@code lower} (exclusive, when set), up to {@code upper} (inclusive, when set), n rows. */
  private Binder keysetBinder(String lower, String upper, int n) {
    return (ps, first) -> {
      int i = first;
      if (lower != null) {
        dialect.bindKey(ps, i++, plan.keyColumn(), lower);
      }
      if (upper != null) {
        dialect.bindKey(ps, i++, plan.keyColumn(), upper);
      }
      ps.setInt(i, n);
    };
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
