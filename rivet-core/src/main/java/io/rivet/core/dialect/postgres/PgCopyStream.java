package io.rivet.core.dialect.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * The rows of a {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}, one {@link PgBinaryRow} at a
 * time. The server streams the rows without waiting for the client to ask (unlike cursor fetches,
 * which are request and response), so it produces the next rows while the previous ones are
 * written. Each row arrives as its own CopyData message (the file header rides on the first one,
 * the trailer is the last).
 */
public final class PgCopyStream implements AutoCloseable {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  private final CopyOut copy;
  private final PgBinaryRow row;
  private boolean header = true;
  private boolean ended;
  private boolean abandoned;

  private PgCopyStream(CopyOut copy, int columns) {
    this.copy = copy;
    this.row = new PgBinaryRow(columns);
  }

  /** Starts the COPY; the statement must select {@code columns} columns. */
  public static PgCopyStream open(Connection c, String copySql, int columns) throws SQLException {
    return new PgCopyStream(
        c.unwrap(PGConnection.class).getCopyAPI().copyOut(asPrepared(c, copySql)), columns);
  }

  /**
   * The statement as pgjdbc sends a prepared one: JDBC escapes ({@code {fn …}}) processed and
   * {@code ??} — the driver's escape for PostgreSQL's {@code ?} operators, e.g. jsonb's — turned
   * into {@code ?}. The COPY API sends SQL as it is, so a base query written for the driver (as
   * every other read path runs it) would otherwise reach the server with {@code ??}. Uses the
   * driver's own parser, so string literals and comments are left alone.
   */
  static String asPrepared(Connection c, String sql) throws SQLException {
    boolean standardStrings = c.unwrap(BaseConnection.class).getStandardConformingStrings();
    String escaped = Parser.replaceProcessing(sql, true, standardStrings);
    List<NativeQuery> parsed =
        Parser.parseJdbcSql(escaped, standardStrings, true, false, false, false);
    if (parsed.size() != 1 || parsed.get(0).bindPositions.length > 0) {
      throw new SQLException(
          "the query has a parameter marker (?) outside a string; write PostgreSQL's ? operators"
              + " as ?? (as for any JDBC statement)",
          "42601");
    }
    return parsed.get(0).nativeSql;
  }

  /** The SQL that streams {@code select} as binary COPY. */
  public static String copyOf(String select) {
    return "COPY (" + select + ") TO STDOUT (FORMAT binary)";
  }

  /** The current row, valid until the next call of {@link #next()}. */
  public PgBinaryRow row() {
    return row;
  }

  /** Advances to the next row; false at the end of the data. */
  public boolean next() throws SQLException {
    while (!ended) {
      byte[] m = copy.readFromCopy();
      if (m == null) {
        ended = true;
        return false;
      }
      int p = header ? skipHeader(m) : 0;
      header = false;
      if (p == m.length) {
        continue;
      }
      int fields = PgBinary.int16(m, p);
      if (fields == -1) {
        continue; // the trailer; the end of the data follows
      }
      if (fields != row.lengths.length) {
        throw new SQLException(
            "binary COPY sent a row of " + fields + " fields, expected " + row.lengths.length);
      }
      p += 2;
      for (int i = 0; i < fields; i++) {
        int len = PgBinary.int32(m, p);
        p += 4;
        row.offsets[i] = p;
        row.lengths[i] = len;
        if (len > 0) {
          p += len;
        }
      }
      if (p != m.length) {
        throw new SQLException(
            "binary COPY sent a message that is not exactly one row ("
                + m.length
                + " bytes, row ends at "
                + p
                + ")");
      }
      row.buffer = m;
      return true;
    }
    return false;
  }

  private static int skipHeader(byte[] m) throws SQLException {
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (m.length <= i || m[i] != SIGNATURE[i]) {
        throw new SQLException("binary COPY did not start with the PGCOPY signature");
      }
    }
    return 19 + PgBinary.int32(m, 15);
  }

  /** Reads and drops the rest of the data, leaving the connection ready for the next statement. */
  public void drain() throws SQLException {
    while (!ended) {
      if (copy.readFromCopy() == null) {
        ended = true;
      }
    }
  }

  /**
   * Gives up on the rest of the data after a failure: {@link #close} then leaves it unread, and the
   * caller must close the connection (the server ends the COPY when it does). Draining could mean
   * reading the rest of a whole table only to report an error that is already known.
   */
  public void abandon() {
    abandoned = true;
  }

  /**
   * Whether the server still has data of this COPY to send (it was neither read to its end nor
   * drained).
   */
  public boolean unfinished() {
    return !ended && copy.isActive();
  }

  /**
   * Reads and drops what is left of the COPY after an early stop (a refused claim), so the
   * connection is not left mid-copy and can run the next statement; those reads are the rest of one
   * slice or window. pgjdbc's {@code cancelCopy} was measured to leave the connection out of step
   * with the server instead (the next statement reads the cancelled COPY's replies). After {@link
   * #abandon} nothing is read.
   */
  @Override
  public void close() throws SQLException {
    if (!abandoned && unfinished()) {
      drain();
    }
  }
}
