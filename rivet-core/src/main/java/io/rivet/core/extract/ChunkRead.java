package io.rivet.core.extract;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.SourceFailure;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.BadValueException;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.RowReader;
import io.rivet.core.read.RowSource;
import io.rivet.core.write.PartWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * One read of a chunk, or of one keyset page: its statements' rows streamed into parts, each row's
 * key claimed first where the chunk is keyed. Holds what spans the statements of the read — rows so
 * far, the last key, the fetch size, whether a claim was refused — and turns a failure into an
 * error naming the export, the chunk and whether a resume continues.
 */
final class ChunkRead {
  private final ExportPlan plan;
  private final ChunkSpec chunk;
  private final RowReader reader;
  private final SessionGuard session;
  private final KeyClaims claims;
  private final int keyIndex;

  /** Rows of a keyset page (their last key is kept), or -1. */
  private final int limit;

  private final PartRoller parts;
  private final Throttle throttle;
  private long rows;
  private long lastClaim;
  private String lastKey;

  /**
   * Rows per batch (throttle, adaptive sizing), kept across the statements of a sliced read; -1
   * until the first.
   */
  private int fetch = -1;

  /** A claim was refused (the range was split): no more statements. */
  private boolean stopped;

  ChunkRead(
      ExportPlan plan,
      ChunkSpec chunk,
      RowReader reader,
      PartStore store,
      long nameFrom,
      KeyClaims claims,
      int keyIndex,
      int limit) {
    this.plan = plan;
    this.chunk = chunk;
    this.reader = reader;
    this.session = new SessionGuard(plan.connection().dialect(), plan.tuning());
    this.claims = claims;
    this.keyIndex = keyIndex;
    this.limit = limit;
    this.parts = new PartRoller(plan, chunk, store, nameFrom, claims != null);
    this.throttle = new Throttle(plan.tuning().throttleMs(), plan.fetchRows());
  }

  /**
   * The read is several short statements: the throttle sleeps between them ({@link #pause}), not
   * inside one.
   */
  ChunkRead sliced() {
    throttle.deferToStatementEnds();
    return this;
  }

  /**
   * Runs the read's statements in the chunk's session and finishes its open part; a failure drops
   * that part and becomes an error naming the export, the chunk and its class, saying that a resume
   * continues.
   */
  void run(Connection c, SessionGuard.Body statements) {
    try {
      session.run(c, statements);
      parts.finishOpen();
    } catch (PartTakenException e) {
      parts.abort();
      throw e;
    } catch (SQLException e) {
      parts.abort();
      ErrorClass cls = plan.connection().dialect().classify(e);
      throw new SourceFailure(
          cls,
          e.getSQLState(),
          e.getErrorCode(),
          where()
              + ": the source failed (SQLState "
              + e.getSQLState()
              + ", code "
              + e.getErrorCode()
              + ", "
              + cls.name().toLowerCase(Locale.ROOT)
              + "): "
              + e.getMessage()
              + "; "
              + resumeHint(),
          e);
    } catch (BadValueException e) {
      parts.abort();
      throw new RivetException(
          ErrorCode.VALUE_INVALID,
          where()
              + (claims != null ? ", key " + lastClaim : "")
              + ": "
              + e.getMessage()
              + "; "
              + resumeHint(),
          e);
    } catch (IOException e) {
      parts.abort();
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          where()
              + ": writing "
              + parts.currentName()
              + " to "
              + plan.outputDir()
              + " failed: "
              + e.getMessage()
              + "; "
              + resumeHint(),
          e);
    }
  }

  /**
   * Reads one statement's rows; returns how many it read. A failure abandons the rest of the
   * statement.
   */
  long statement(Connection c, ReadRequest request) throws SQLException, IOException {
    int requested =
        fetch > 0
            ? fetch
            : plan.tuning().memorySized()
                ? Math.min(FetchSizing.PROBE_ROWS, plan.fetchRows())
                : plan.fetchRows();
    long before = rows;
    try (RowSource source = reader.open(c, request, requested)) {
      if (fetch < 0) {
        fetch = source.fetches() ? requested : plan.fetchRows();
      }
      try {
        consume(source);
      } catch (SQLException | IOException | RuntimeException e) {
        source.abandon();
        throw e;
      }
    }
    return rows - before;
  }

  private void consume(RowSource source) throws SQLException, IOException {
    int batch = 0;
    long previousKey = Long.MIN_VALUE;
    boolean marked = false;
    while (source.next()) {
      if (claims != null) {
        lastClaim = source.key(keyIndex);
        if (!claims.tryClaim(lastClaim)) {
          stopped = true;
          break;
        }
      }
      PartWriter writer = parts.writerFor(lastClaim, previousKey);
      previousKey = lastClaim;
      writer.write(source);
      if (rows++ == 0) {
        FaultInjection.at("mid-chunk");
      }
      if (limit > 0) {
        source.markKey(keyIndex);
        marked = true;
      }
      if (++batch == fetch) {
        Progress.add(batch);
        throttle.afterBatch(batch);
        batch = 0;
        if (plan.tuning().memorySized()) {
          fetch =
              FetchSizing.fetchRows(
                  plan.columns().size(),
                  writer.variableBytes(),
                  writer.rows(),
                  plan.tuning().batchSizeMemoryMb() == null
                      ? FetchSizing.DEFAULT_BUDGET_MB
                      : plan.tuning().batchSizeMemoryMb());
          source.fetchSize(fetch);
        }
      }
    }
    if (marked) {
      // decoded once per statement: only the last row's key bounds the next sub-page and ends the
      // page's part
      lastKey = source.markedKey();
    }
    Progress.add(batch);
    throttle.statementEnded(batch);
  }

  /** Sleeps the throttle owed for the statement that just ended (sliced reads). */
  void pause() {
    throttle.afterStatement();
  }

  boolean stopped() {
    return stopped;
  }

  long rows() {
    return rows;
  }

  /** The last row's keyset key (keyset pages). */
  String lastKey() {
    return lastKey;
  }

  List<PartRoller.Finished> finished() {
    return parts.finished();
  }

  private String where() {
    return "export '" + plan.exportName() + "', " + chunk.describe();
  }

  private static String resumeHint() {
    return "parts already committed are kept; 'rivet run --resume' continues this run";
  }
}
