package io.rivet.core.dialect;

import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import io.rivet.core.schema.ColumnMapping;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/** A column read through the driver's JDBC getters, by its written kind: right on every engine. */
public final class DriverColumnReader extends JdbcColumnReader {
  public DriverColumnReader(ColumnMapping mapping, int column) {
    super(mapping, column);
    if (mapping.readAs() != ColumnMapping.ReadAs.DEFAULT
        && mapping.readAs() != ColumnMapping.ReadAs.ENUM_LABEL) {
      throw new IllegalArgumentException(
          mapping.name() + " is read as " + mapping.readAs() + " by its dialect");
    }
  }

  @Override
  public void read(ResultSet rs, ValueSink sink) throws SQLException {
    switch (mapping.kind()) {
      case INT16, INT32 -> {
        int v = rs.getInt(index);
        if (rs.wasNull()) {
          sink.writeNull(column);
        } else {
          sink.writeInt(column, v);
        }
      }
      case INT64 -> {
        long v = rs.getLong(index);
        if (rs.wasNull()) {
          sink.writeNull(column);
        } else {
          sink.writeLong(column, v);
        }
      }
      case FLOAT32 -> {
        float v = rs.getFloat(index);
        if (rs.wasNull()) {
          sink.writeNull(column);
        } else {
          sink.writeFloat(column, v);
        }
      }
      case FLOAT64 -> {
        double v = rs.getDouble(index);
        if (rs.wasNull()) {
          sink.writeNull(column);
        } else {
          sink.writeDouble(column, v);
        }
      }
      case BOOLEAN -> {
        boolean v = rs.getBoolean(index);
        if (rs.wasNull()) {
          sink.writeNull(column);
        } else {
          sink.writeBoolean(column, v);
        }
      }
      case LIST -> {
        Array a = rs.getArray(index);
        if (a == null) {
          sink.writeNull(column);
        } else {
          writeList(sink, (Object[]) a.getArray());
        }
      }
      default -> {
        Object v = object(rs);
        if (v == null) {
          sink.writeNull(column);
        } else {
          write(sink, mapping, v);
        }
      }
    }
  }

  /** The driver's object for the kinds read as objects. */
  private Object object(ResultSet rs) throws SQLException {
    return switch (mapping.kind()) {
      case DECIMAL -> rs.getBigDecimal(index);
      case DATE -> rs.getObject(index, LocalDate.class);
      case TIME_MICROS -> rs.getObject(index, LocalTime.class);
      case TIMESTAMP_MICROS -> rs.getObject(index, LocalDateTime.class);
      case TIMESTAMPTZ_MICROS -> rs.getObject(index, OffsetDateTime.class);
      case BYTES -> rs.getBytes(index);
      case UUID -> rs.getObject(index);
      default -> rs.getString(index);
    };
  }

  /** Writes a non-null driver object of a column or of a list's element mapped as {@code m}. */
  private void write(ValueSink sink, ColumnMapping m, Object v) {
    switch (m.kind()) {
      case INT16, INT32 -> sink.writeInt(column, ((Number) v).intValue());
      case INT64 -> sink.writeLong(column, ((Number) v).longValue());
      case UINT64 -> sink.writeLong(column, Long.parseUnsignedLong(v.toString()));
      case FLOAT32 -> sink.writeFloat(column, ((Number) v).floatValue());
      case FLOAT64 -> sink.writeDouble(column, ((Number) v).doubleValue());
      case BOOLEAN -> sink.writeBoolean(column, (Boolean) v);
      case DECIMAL -> sink.writeDecimal(column, Values.scaled(m, (BigDecimal) v));
      case DATE -> sink.writeDate(column, Values.epochDay(m, (LocalDate) v));
      case TIME_MICROS -> sink.writeTime(column, Values.timeMicros((LocalTime) v));
      case TIMESTAMP_MICROS -> sink.writeTimestamp(column, Values.micros(m, (LocalDateTime) v));
      case TIMESTAMPTZ_MICROS -> sink.writeTimestamp(column, Values.micros(m, (OffsetDateTime) v));
      case BYTES -> {
        byte[] b = (byte[]) v;
        sink.writeBytes(column, b, 0, b.length);
      }
      case UUID -> sink.writeUuid(column, Values.uuidBytes(v), 0);
      default -> sink.writeText(column, v.toString());
    }
  }

  /**
   * A one-dimensional array as a list of its elements, NULL elements kept; lower bounds are
   * ignored.
   */
  private void writeList(ValueSink sink, Object[] values) {
    for (Object e : values) {
      if (e instanceof Object[]) {
        throw Values.multiDimensional(mapping);
      }
    }
    sink.startList(column);
    for (Object e : values) {
      if (e == null) {
        sink.writeNull(column);
      } else {
        write(sink, mapping.element(), e);
      }
    }
    sink.endList(column);
  }
}
