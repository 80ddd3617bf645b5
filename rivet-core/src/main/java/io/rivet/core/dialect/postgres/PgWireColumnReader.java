package io.rivet.core.dialect.postgres;

import io.rivet.core.dialect.DriverColumnReader;
import io.rivet.core.dialect.JdbcColumnReader;
import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import io.rivet.core.schema.ColumnMapping;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Set;
import org.postgresql.PGResultSetMetaData;

/**
 * A column read from the bytes the server sent, which pgjdbc hands out from {@code getBytes}
 * unconverted (binary format, or text that is not bytea): timestamps, dates and numerics that
 * arrive in binary, and text that arrives as UTF-8 text. Skips the driver's per-value objects
 * (OffsetDateTime, BigDecimal, String) on the cursor path; a numeric that is not exact at the
 * column's scale (or NaN) takes the driver's path, which explains the problem.
 */
final class PgWireColumnReader extends JdbcColumnReader {
  /** Types pgjdbc sends as text whose getString is exactly the UTF-8 decoding of the bytes. */
  private static final Set<String> TEXT_TYPES =
      Set.of("text", "varchar", "bpchar", "name", "json", "jsonb", "xml", "citext");

  private enum Wire {
    TIMESTAMP,
    DATE,
    NUMERIC,
    UTF8
  }

  private final Wire wire;
  private final DriverColumnReader driver;

  private PgWireColumnReader(ColumnMapping mapping, int column, Wire wire) {
    super(mapping, column);
    this.wire = wire;
    this.driver = new DriverColumnReader(mapping, column);
  }

  /**
   * The reader of column {@code column} (0-based) of a result: from the wire bytes when pgjdbc
   * hands them out in a layout this class knows (the format is per column in the result's
   * metadata), else through the driver.
   */
  static JdbcColumnReader of(ColumnMapping m, int column, ResultSetMetaData md)
      throws SQLException {
    if (m.readAs() != ColumnMapping.ReadAs.DEFAULT || !md.isWrapperFor(PGResultSetMetaData.class)) {
      return new DriverColumnReader(m, column);
    }
    boolean binary = md.unwrap(PGResultSetMetaData.class).getFormat(column + 1) == 1;
    String type = md.getColumnTypeName(column + 1);
    Wire wire =
        switch (m.kind()) {
          case TIMESTAMP_MICROS -> binary && "timestamp".equals(type) ? Wire.TIMESTAMP : null;
          case TIMESTAMPTZ_MICROS -> binary && "timestamptz".equals(type) ? Wire.TIMESTAMP : null;
          case DATE -> binary && "date".equals(type) ? Wire.DATE : null;
          case DECIMAL ->
              binary && "numeric".equals(type) && m.precision() <= 18 ? Wire.NUMERIC : null;
          case STRING, JSON -> !binary && TEXT_TYPES.contains(type) ? Wire.UTF8 : null;
          default -> null;
        };
    return wire == null
        ? new DriverColumnReader(m, column)
        : new PgWireColumnReader(m, column, wire);
  }

  @Override
  public void read(ResultSet rs, ValueSink sink) throws SQLException {
    byte[] b = rs.getBytes(index);
    if (b == null) {
      sink.writeNull(column);
      return;
    }
    switch (wire) {
      case TIMESTAMP -> {
        long micros = PgBinary.timestampMicros(b);
        if (PgBinary.isInfinite(micros)) {
          throw Values.infinite(mapping, "timestamp");
        }
        sink.writeTimestamp(column, micros);
      }
      case DATE -> {
        long day = PgBinary.epochDay(b);
        if (PgBinary.isInfiniteDay(day)) {
          throw Values.infinite(mapping, "date");
        }
        sink.writeDate(column, (int) day);
      }
      case NUMERIC -> {
        long unscaled = PgBinary.numericUnscaled(b, mapping.scale(), mapping.precision());
        if (unscaled == PgBinary.NOT_EXACT) {
          driver.read(rs, sink);
        } else {
          sink.writeDecimal(column, unscaled);
        }
      }
      case UTF8 -> sink.writeBytes(column, b, 0, b.length);
    }
  }
}
