package io.rivet.core.dialect.mysql;

import io.rivet.core.dialect.JdbcColumnReader;
import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * A MySQL DATE, DATETIME or TIMESTAMP column. The session runs at {@code +00:00}, so a TIMESTAMP's
 * wall-clock time is its UTC instant. {@code 0000-00-00} has no date: Connector/J refuses it
 * (SQLState S1009, with {@code zeroDateTimeBehavior=EXCEPTION}), and the documented policy writes
 * NULL and counts it, so the run reports how many such values each column had.
 */
final class MySqlColumnReader extends JdbcColumnReader {
  /** Connector/J's SQLState for a value it cannot convert: a zero date here. */
  private static final String ZERO_DATE_STATE = "S1009";

  MySqlColumnReader(ColumnMapping mapping, int column) {
    super(mapping, column);
  }

  /**
   * Whether the column is one this reader takes (see {@link MySqlTypes}: zero dates become NULL).
   */
  static boolean applies(ColumnMapping m) {
    return m.readAs() == ColumnMapping.ReadAs.ZERO_DATE_AS_NULL
        || m.readAs() == ColumnMapping.ReadAs.ZERO_DATE_AS_NULL_UTC;
  }

  @Override
  public void read(ResultSet rs, ValueSink sink) throws SQLException {
    try {
      if (mapping.kind() == ColumnKind.DATE) {
        LocalDate d = rs.getObject(index, LocalDate.class);
        if (d == null) {
          sink.writeNull(column);
        } else {
          sink.writeDate(column, Values.epochDay(mapping, d));
        }
      } else {
        LocalDateTime t = rs.getObject(index, LocalDateTime.class);
        if (t == null) {
          sink.writeNull(column);
        } else {
          sink.writeTimestamp(column, Values.micros(mapping, t));
        }
      }
    } catch (SQLException e) {
      if (!ZERO_DATE_STATE.equals(e.getSQLState())) {
        throw e;
      }
      sink.writeZeroDate(column);
    }
  }
}
