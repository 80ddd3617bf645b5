package io.rivet.core.write;

import io.rivet.core.dialect.WireFormat;
import io.rivet.core.dialect.postgres.PgBinary;
import io.rivet.core.schema.ColumnMapping;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes one column of the current ResultSet row into a Parquet record; chosen once per column from its
 * {@link ColumnMapping}, so the row loop does no type lookup. A NULL writes nothing (the field is OPTIONAL).
 */
abstract class ColumnWriter {
  final String name;
  final int field;
  final int jdbcIndex;

  ColumnWriter(String name, int field) {
    this.name = name;
    this.field = field;
    this.jdbcIndex = field + 1;
  }

  /** Zero dates (MySQL {@code 0000-00-00}) written as NULL by policy, counted for the run's warning. */
  long zeroDates;

  /** The longest text or binary value written, in bytes (for shape drift); -1 for other kinds. */
  int maxBytes = -1;

  /** All text and binary bytes written (for sizing fetches by the rows actually seen). */
  long variableBytes;

  /** Where this column's values are read from for the current result set (set by {@link RowWriteSupport}). */
  WireFormat wire = WireFormat.DRIVER;

  abstract ColumnMapping mapping();

  abstract void write(ResultSet rs, RecordConsumer rc) throws SQLException;

  static ColumnWriter of(ColumnMapping m, int field) {
    return new Scalar(m, field);
  }

  /** A value the written type cannot hold exactly; the message names the column and the value. */
  static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadValue(String message) {
      super(message);
    }
  }

  private static final class Scalar extends ColumnWriter {
    private final ColumnMapping m;
    private final int fixedLen;

    Scalar(ColumnMapping m, int field) {
      super(m.name(), field);
      this.m = m;
      this.fixedLen = m.precision() > 18 ? ParquetSchemas.decimalBytes(m.precision()) : 0;
    }

    @Override
    ColumnMapping mapping() {
      return m;
    }

    @Override
    void write(ResultSet rs, RecordConsumer rc) throws SQLException {
      try {
        if (wire != WireFormat.DRIVER && writeWire(rs, rc)) {
          return;
        }
        writeValue(rs, rc);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw new BadValue("column " + name + ": a value cannot be written as " + m.describe() + " (" + e.getMessage()
            + "); check the columns: override or cast in the query");
      }
    }

    /**
     * Writes the value from the server's bytes as the driver hands them out (see {@link WireFormat}); false when
     * this value needs the general path (a numeric that is not exact at the column's scale, NaN, ±Infinity).
     */
    private boolean writeWire(ResultSet rs, RecordConsumer rc) throws SQLException {
      byte[] b = rs.getBytes(jdbcIndex);
      if (b == null) {
        return true;
      }
      switch (wire) {
        case PG_BINARY_TIMESTAMP -> {
          long micros = PgBinary.timestampMicros(b);
          if (PgBinary.isInfinite(micros)) {
            throw infinite("timestamp");
          }
          rc.startField(name, field);
          rc.addLong(micros);
          rc.endField(name, field);
        }
        case PG_BINARY_DATE -> {
          long day = PgBinary.epochDay(b);
          if (PgBinary.isInfiniteDay(day)) {
            throw infinite("date");
          }
          rc.startField(name, field);
          rc.addInteger((int) day);
          rc.endField(name, field);
        }
        case PG_BINARY_NUMERIC -> {
          long unscaled = PgBinary.numericUnscaled(b, m.scale(), m.precision());
          if (unscaled == PgBinary.NOT_EXACT) {
            return false;
          }
          rc.startField(name, field);
          if (m.precision() <= 9) {
            rc.addInteger((int) unscaled);
          } else {
            rc.addLong(unscaled);
          }
          rc.endField(name, field);
        }
        case UTF8_BYTES -> {
          maxBytes = Math.max(maxBytes, b.length);
          variableBytes += b.length;
          rc.startField(name, field);
          rc.addBinary(Binary.fromConstantByteArray(b));
          rc.endField(name, field);
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    private void writeValue(ResultSet rs, RecordConsumer rc) throws SQLException {
      switch (m.kind()) {
        case INT16, INT32 -> {
          int v = rs.getInt(jdbcIndex);
          if (!rs.wasNull()) {
            rc.startField(name, field);
            rc.addInteger(v);
            rc.endField(name, field);
          }
        }
        case UINT64 -> {
          String v = rs.getString(jdbcIndex);
          if (v != null) {
            rc.startField(name, field);
            rc.addLong(Long.parseUnsignedLong(v));
            rc.endField(name, field);
          }
        }
        case INT64 -> {
          long v = rs.getLong(jdbcIndex);
          if (!rs.wasNull()) {
            rc.startField(name, field);
            rc.addLong(v);
            rc.endField(name, field);
          }
        }
        case FLOAT32 -> {
          float v = rs.getFloat(jdbcIndex);
          if (!rs.wasNull()) {
            rc.startField(name, field);
            rc.addFloat(v);
            rc.endField(name, field);
          }
        }
        case FLOAT64 -> {
          double v = rs.getDouble(jdbcIndex);
          if (!rs.wasNull()) {
            rc.startField(name, field);
            rc.addDouble(v);
            rc.endField(name, field);
          }
        }
        case BOOLEAN -> {
          boolean v = rs.getBoolean(jdbcIndex);
          if (!rs.wasNull()) {
            rc.startField(name, field);
            rc.addBoolean(v);
            rc.endField(name, field);
          }
        }
        case LIST -> {
          Array a = rs.getArray(jdbcIndex);
          if (a != null) {
            rc.startField(name, field);
            writeList((Object[]) a.getArray(), rc);
            rc.endField(name, field);
          }
        }
        default -> {
          Object v = read(rs);
          if (v != null) {
            rc.startField(name, field);
            add(m, v, rc);
            rc.endField(name, field);
          }
        }
      }
    }

    private Object read(ResultSet rs) throws SQLException {
      return switch (m.readAs()) {
        case DEFAULT -> readDefault(rs);
        case UTC_WALL_CLOCK -> utc(rs.getObject(jdbcIndex, LocalDateTime.class));
        case ZERO_DATE_AS_NULL, ZERO_DATE_AS_NULL_UTC -> readZeroAsNull(rs);
      };
    }

    private static Object utc(LocalDateTime t) {
      return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /**
     * MySQL's {@code 0000-00-00} has no date: the driver refuses it (SQLState S1009), and the documented policy
     * writes NULL and counts it, so the run reports how many such values each column had.
     */
    private Object readZeroAsNull(ResultSet rs) throws SQLException {
      try {
        if (m.kind() == io.rivet.core.schema.ColumnKind.DATE) {
          return rs.getObject(jdbcIndex, LocalDate.class);
        }
        LocalDateTime t = rs.getObject(jdbcIndex, LocalDateTime.class);
        return m.readAs() == ColumnMapping.ReadAs.ZERO_DATE_AS_NULL_UTC ? utc(t) : t;
      } catch (SQLException e) {
        if (!"S1009".equals(e.getSQLState())) {
          throw e;
        }
        zeroDates++;
        return null;
      }
    }

    private Object readDefault(ResultSet rs) throws SQLException {
      return switch (m.kind()) {
        case DECIMAL -> rs.getBigDecimal(jdbcIndex);
        case DATE -> rs.getObject(jdbcIndex, LocalDate.class);
        case TIME_MICROS -> rs.getObject(jdbcIndex, LocalTime.class);
        case TIMESTAMP_MICROS -> rs.getObject(jdbcIndex, LocalDateTime.class);
        case TIMESTAMPTZ_MICROS -> rs.getObject(jdbcIndex, OffsetDateTime.class);
        case BYTES -> rs.getBytes(jdbcIndex);
        case UUID -> rs.getObject(jdbcIndex);
        default -> rs.getString(jdbcIndex);
      };
    }

    private void add(ColumnMapping mapping, Object v, RecordConsumer rc) {
      switch (mapping.kind()) {
        case INT16, INT32 -> rc.addInteger(((Number) v).intValue());
        case INT64 -> rc.addLong(((Number) v).longValue());
        case UINT64 -> rc.addLong(Long.parseUnsignedLong(v.toString()));
        case FLOAT32 -> rc.addFloat(((Number) v).floatValue());
        case FLOAT64 -> rc.addDouble(((Number) v).doubleValue());
        case BOOLEAN -> rc.addBoolean((Boolean) v);
        case DECIMAL -> addDecimal(mapping, (BigDecimal) v, rc);
        case DATE -> rc.addInteger(Math.toIntExact(checkedDate((LocalDate) v)));
        case TIME_MICROS -> rc.addLong(((LocalTime) v).toNanoOfDay() / 1000);
        case TIMESTAMP_MICROS -> rc.addLong(micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC).getEpochSecond(),
            ((LocalDateTime) v).getNano(), v));
        case TIMESTAMPTZ_MICROS -> rc.addLong(micros(((OffsetDateTime) v).toEpochSecond(), ((OffsetDateTime) v).getNano(), v));
        case BYTES -> {
          byte[] b = (byte[]) v;
          maxBytes = Math.max(maxBytes, b.length);
          variableBytes += b.length;
          rc.addBinary(Binary.fromConstantByteArray(b));
        }
        case UUID -> rc.addBinary(Binary.fromConstantByteArray(uuidBytes(v)));
        default -> {
          byte[] b = v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          maxBytes = Math.max(maxBytes, b.length);
          variableBytes += b.length;
          rc.addBinary(Binary.fromConstantByteArray(b));
        }
      }
    }

    private BadValue infinite(String what) {
      return new BadValue("column " + name + ": the " + what + " is ±infinity, which Parquet cannot hold; filter or cast it in the query");
    }

    private long checkedDate(LocalDate d) {
      if (d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)) {
        throw infinite("date");
      }
      return d.toEpochDay();
    }

    private long micros(long seconds, int nanos, Object v) {
      if (v.equals(LocalDateTime.MAX) || v.equals(LocalDateTime.MIN) || v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN)) {
        throw infinite("timestamp");
      }
      try {
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000);
      } catch (ArithmeticException e) {
        throw new BadValue("column " + name + ": timestamp " + v + " is outside the range of microsecond timestamps");
      }
    }

    private void addDecimal(ColumnMapping mapping, BigDecimal v, RecordConsumer rc) {
      BigDecimal scaled;
      try {
        scaled = v.setScale(mapping.scale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new BadValue("column " + name + ": value " + v.toPlainString() + " has more than " + mapping.scale()
            + " decimal places; widen the columns: override to keep it exact");
      }
      if (scaled.precision() > mapping.precision()) {
        throw new BadValue("column " + name + ": value " + v.toPlainString() + " does not fit decimal("
            + mapping.precision() + "," + mapping.scale() + ")");
      }
      BigInteger unscaled = scaled.unscaledValue();
      if (mapping.precision() <= 9) {
        rc.addInteger(unscaled.intValue());
      } else if (mapping.precision() <= 18) {
        rc.addLong(unscaled.longValue());
      } else {
        rc.addBinary(Binary.fromConstantByteArray(fixed(unscaled.toByteArray(), fixedLen)));
      }
    }

    private static byte[] fixed(byte[] twos, int len) {
      byte[] out = new byte[len];
      byte pad = (byte) (twos[0] < 0 ? 0xFF : 0x00);
      int offset = len - twos.length;
      for (int i = 0; i < offset; i++) {
        out[i] = pad;
      }
      System.arraycopy(twos, 0, out, offset, twos.length);
      return out;
    }

    private byte[] uuidBytes(Object v) {
      UUID u = v instanceof UUID id ? id : UUID.fromString(v.toString());
      byte[] b = new byte[16];
      long hi = u.getMostSignificantBits();
      long lo = u.getLeastSignificantBits();
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (hi >>> (56 - 8 * i));
        b[8 + i] = (byte) (lo >>> (56 - 8 * i));
      }
      return b;
    }

    private void writeList(Object[] values, RecordConsumer rc) {
      rc.startGroup();
      if (values.length > 0) {
        rc.startField("list", 0);
        for (Object e : values) {
          rc.startGroup();
          if (e instanceof Object[]) {
            throw new BadValue("column " + name + ": multi-dimensional arrays are not supported yet; unnest or cast to text in the query");
          }
          if (e != null) {
            rc.startField("element", 0);
            add(m.element(), e, rc);
            rc.endField("element", 0);
          }
          rc.endGroup();
        }
        rc.endField("list", 0);
      }
      rc.endGroup();
    }
  }
}
