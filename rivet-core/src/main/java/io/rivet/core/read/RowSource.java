package io.rivet.core.read;

import java.sql.SQLException;

/**
 * The rows of one statement, as the extraction loop sees them: a JDBC result set, or an engine's
 * own stream (the PostgreSQL dialect's binary COPY). Each row's values go to a {@link ValueSink}
 * through the readers the source was opened with, so the writers never see where a row came from.
 */
public interface RowSource extends AutoCloseable {
  /** Advances to the next row; false at the end of the statement's rows. */
  boolean next() throws SQLException;

  /** The integer chunk key (or dense ordinal) of the current row: column {@code index}, 1-based. */
  long key(int index) throws SQLException;

  /**
   * Remembers the current row's keyset key (column {@code index}, 1-based), to be read by {@link
   * #markedKey}.
   */
  void markKey(int index) throws SQLException;

  /** The keyset key last remembered, as the text the driver's {@code getString} gives for it. */
  String markedKey();

  /**
   * Writes the current row's values, one call per column, then its row hash when the export keeps
   * one.
   */
  void emit(ValueSink sink) throws SQLException;

  /**
   * Whether rows arrive in fetch round trips that the loop sizes ({@link #fetchSize}); false for a
   * stream.
   */
  boolean fetches();

  /** Asks for batches of {@code rows} from now on, where the driver fetches in batches. */
  void fetchSize(int rows) throws SQLException;

  /**
   * Gives up on the rest of the rows after a failure: closing then reads nothing more, and the
   * connection must be discarded by the caller (every failure of a chunk discards its connection).
   */
  void abandon();

  @Override
  void close() throws SQLException;
}
