package io.rivet.core.dialect;

import io.rivet.core.read.RowHash;
import io.rivet.core.read.RowSource;
import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The rows of a JDBC statement, each column read by the reader its dialect chose for it. */
final class JdbcRowSource implements RowSource {
  private final Dialect dialect;
  private final PreparedStatement statement;
  private final ResultSet rs;
  private final JdbcColumnReader[] readers;
  private final RowHash rowHash;
  private String markedKey;

  JdbcRowSource(
      Dialect dialect,
      PreparedStatement statement,
      ResultSet rs,
      JdbcColumnReader[] readers,
      RowHash rowHash) {
    this.dialect = dialect;
    this.statement = statement;
    this.rs = rs;
    this.readers = readers;
    this.rowHash = rowHash;
  }

  @Override
  public boolean next() throws SQLException {
    return rs.next();
  }

  @Override
  public long key(int index) throws SQLException {
    return rs.getLong(index);
  }

  @Override
  public void markKey(int index) throws SQLException {
    markedKey = rs.getString(index);
  }

  @Override
  public String markedKey() {
    return markedKey;
  }

  @Override
  public void emit(ValueSink sink) throws SQLException {
    for (JdbcColumnReader r : readers) {
      try {
        r.read(rs, sink);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw Values.notWritable(r.mapping(), e);
      }
    }
    if (rowHash != null) {
      sink.writeRowHash(rowHash.of(rs));
    }
  }

  @Override
  public boolean fetches() {
    return true;
  }

  @Override
  public void fetchSize(int rows) throws SQLException {
    rs.setFetchSize(dialect.fetchSize(rows));
  }

  @Override
  public void abandon() {
    // closing a result set never reads the rest of it
  }

  @Override
  public void close() throws SQLException {
    try (statement) {
      rs.close();
    }
  }
}
