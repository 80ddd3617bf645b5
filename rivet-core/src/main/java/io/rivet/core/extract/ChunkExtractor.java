package io.rivet.core.extract;

import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowReader;
import io.rivet.core.state.PartRecord;
import io.rivet.core.write.PartWriter;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot loop's entry: a chunk (or a sub-range of it, or its keyset pages) streamed from the
 * source straight into parts, each committed (made visible) only after its footer is written. How
 * the export is read — through the driver or the engine's own stream — is its dialect's {@link
 * RowReader}, chosen once here; what each chunk kind asks for is {@link #request}; whether a read
 * is cut into short statements is the reader's {@link RowReader#streamsStatements}.
 */
public final class ChunkExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkExtractor.class);

  private final ExportPlan plan;
  private final ReadSpec spec;
  private final RowReader reader;
  private final PartStore store;

  /** The pace of this extractor's sliced reads, carried from chunk to chunk. */
  private final SlicePacer pacer = new SlicePacer();

  /**
   * Receives each committed keyset page; {@code lastPage} is true for the page that ends the chunk.
   */
  @FunctionalInterface
  public interface PageSink {
    void committed(PartRecord page, boolean lastPage);
  }

  public ChunkExtractor(ExportPlan plan, PartStore store) {
    this.plan = plan;
    this.spec = plan.readSpec();
    this.reader = plan.connection().dialect().rowReader(spec);
    this.store = store;
  }

  /**
   * Reads {@code [from, to)} of a range or dense chunk, claiming each row's key or ordinal before
   * writing it, or the whole of any other non-keyset chunk. Returns the committed parts in order —
   * more than one when {@code max_file_size} cut the stream — or none when it held no rows.
   *
   * @param currentEnd the end of the range after any split, read when the last part is committed
   */
  public List<PartRecord> extract(
      Connection c,
      ChunkSpec chunk,
      long from,
      long to,
      KeyClaims claims,
      LongSupplier currentEnd) {
    int keyIndex =
        chunk.kind() == ChunkSpec.Kind.DENSE ? spec.columns().size() + 1 : spec.keyIndex();
    ChunkRead read =
        new ChunkRead(
            plan, chunk, reader, store, from, chunk.keyed() ? claims : null, keyIndex, -1);
    if (chunk.kind() == ChunkSpec.Kind.RANGE && reader.streamsStatements()) {
      read.sliced()
          .run(
              c,
              () ->
                  pacer.range(
                      from,
                      to,
                      currentEnd,
                      read::stopped,
                      (a, b) -> read.statement(c, new ReadRequest.Range(a, b)),
                      read::pause));
    } else {
      read.run(c, () -> read.statement(c, request(chunk, from, to)));
    }
    List<PartRecord> parts = new ArrayList<>();
    List<PartRoller.Finished> finished = read.finished();
    for (int p = 0; p < finished.size(); p++) {
      PartRoller.Finished f = finished.get(p);
      boolean last = p == finished.size() - 1;
      if (chunk.keyed()) {
        parts.add(part(chunk, f, f.startKey(), last ? currentEnd.getAsLong() : f.endKey(), null));
      } else {
        // Parts of an indivisible chunk cover nothing of it until the last one, which completes it.
        parts.add(part(chunk, f, chunk.lo(), last ? chunk.hi() : chunk.lo(), null));
      }
    }
    return parts;
  }

  /** What one statement of a chunk of each kind selects (keyset chunks are read page by page). */
  static ReadRequest request(ChunkSpec chunk, long from, long to) {
    return switch (chunk.kind()) {
      case RANGE -> new ReadRequest.Range(from, to);
      case DENSE -> new ReadRequest.Dense(from, to);
      case DAYS ->
          new ReadRequest.Days(LocalDate.ofEpochDay(chunk.lo()), LocalDate.ofEpochDay(chunk.hi()));
      case NULL_KEYS -> new ReadRequest.NullKeys();
      case WHOLE -> new ReadRequest.Whole();
      case KEYSET -> throw new IllegalArgumentException("keyset chunks are read by extractKeyset");
    };
  }

  /**
   * Reads a keyset chunk page by page after key {@code after} (exclusive; null = from the chunk's
   * start), each page of {@code pageRows} rows its own committed part, numbered from {@code
   * firstPage}.
   */
  public void extractKeyset(
      Connection c, ChunkSpec chunk, String after, int firstPage, PageSink sink) {
    String lower = after != null ? after : chunk.keyFrom();
    int page = firstPage;
    while (true) {
      ChunkRead read = readPage(c, chunk, page, lower);
      boolean last = read.rows() < plan.pageRows();
      if (read.finished().isEmpty()) {
        sink.committed(
            PartRecord.empty(plan.runId(), plan.exportName(), chunk.index(), 0, 1), true);
        return;
      }
      // A page covers nothing of the [0, 1) restriction until the last one, which completes the
      // chunk.
      sink.committed(part(chunk, read.finished().get(0), 0, last ? 1 : 0, read.lastKey()), last);
      if (last) {
        return;
      }
      lower = read.lastKey();
      page++;
    }
  }

  private ChunkRead readPage(Connection c, ChunkSpec chunk, int page, String after) {
    ChunkRead read =
        new ChunkRead(plan, chunk, reader, store, page, null, spec.keyIndex(), plan.pageRows());
    if (reader.streamsStatements()) {
      read.sliced()
          .run(
              c,
              () ->
                  pacer.page(
                      after,
                      chunk.keyTo(),
                      plan.pageRows(),
                      read::lastKey,
                      (from, upTo, n) ->
                          read.statement(c, new ReadRequest.KeysetPage(from, upTo, n)),
                      read::pause));
    } else {
      read.run(
          c,
          () ->
              read.statement(c, new ReadRequest.KeysetPage(after, chunk.keyTo(), plan.pageRows())));
    }
    return read;
  }

  private PartRecord part(
      ChunkSpec chunk, PartRoller.Finished f, long from, long end, String lastKey) {
    PartWriter.Result r = f.result();
    r.zeroDates()
        .forEach(
            (column, count) ->
                LOG.warn(
                    "export '{}', {}: {} zero date(s) (0000-00-00) in column {}"
                        + " written as NULL (policy: zero dates become NULL)",
                    plan.exportName(),
                    chunk.describe(),
                    count,
                    column));
    return new PartRecord(
        plan.runId(),
        plan.exportName(),
        chunk.index(),
        from,
        end,
        f.name(),
        r.rows(),
        r.bytes(),
        r.fingerprint(),
        lastKey,
        r.maxBytes(),
        r.md5(),
        f.storeTag());
  }
}
