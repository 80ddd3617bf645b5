package io.rivet.core.write;

import io.rivet.core.dialect.WireFormat;
import io.rivet.core.dialect.postgres.PgBinary;
import io.rivet.core.dialect.postgres.PgBinaryRow;
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

/**
 * Writes one column of the current ResultSet row straight into its Parquet column writer; chosen once per column
 * from its {@link ColumnMapping}, so the row loop does no type lookup. Every column is OPTIONAL: a value is written
 * at definition level 1, a NULL as a null at level 0. Lists use the standard three-level form (see {@link
 * #writeList}).
 */
abstract class ColumnWriter {
  final String name;
  /** The column's position in the result set (1-based). */
  final int jdbcIndex;

  ColumnWriter(ColumnMapping m, int field) {
    this.name = m.name();
    this.jdbcIndex = field + 1;
    this.copyForm = PgBinaryRow.form(m);
  }

  /** Zero dates (MySQL {@code 0000-00-00}) written as NULL by policy, counted for the run's warning. */
  long zeroDates;

  /** The longest text or binary value written, in bytes (for shape drift); -1 for other kinds. */
  int maxBytes = -1;

  /** All text and binary bytes written (for sizing fetches by the rows actually seen). */
  long variableBytes;

  /** Where this column's values are read from for the current result set (set by {@link ParquetRowWriter}). */
  WireFormat wire = WireFormat.DRIVER;

  abstract ColumnMapping mapping();

  /** The Parquet column writer of the open row group (set by {@link ParquetRowWriter#bind}). */
  org.apache.parquet.column.ColumnWriter out;

  /** Writes the current row's value (or NULL) of this column: exactly one top-level entry per row. */
  abstract void write(ResultSet rs) throws SQLException;

  /** How this column is decoded from a binary COPY row, or null when it cannot be (see {@link PgBinaryRow#form}). */
  final PgBinaryRow.Form copyForm;

  /** Writes this column's field of a binary COPY row (only called when {@link #copyForm} is set). */
  abstract void write(PgBinaryRow row);

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

  /** 24:00:00 in microseconds after midnight, PostgreSQL's largest {@code time}. */
  static final long END_OF_DAY_MICROS = 86_400_000_000L;

  private static final class Scalar extends ColumnWriter {
    private final ColumnMapping m;
    private final int fixedLen;
    /** How a list column's elements are decoded from binary COPY (null for other columns). */
    private final PgBinaryRow.Form elementForm;

    Scalar(ColumnMapping m, int field) {
      super(m, field);
      this.m = m;
      this.fixedLen = m.precision() > 18 ? ParquetSchemas.decimalBytes(m.precision()) : 0;
      this.elementForm = PgBinaryRow.elementForm(m);
    }

    @Override
    ColumnMapping mapping() {
      return m;
    }

    @Override
    void write(ResultSet rs) throws SQLException {
      try {
        if (wire != WireFormat.DRIVER && writeWire(rs)) {
          return;
        }
        writeValue(rs);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw notWritable(e);
      }
    }

    @Override
    void write(PgBinaryRow row) {
      int i = jdbcIndex - 1;
      int len = row.length(i);
      if (len < 0) {
        out.writeNull(0, 0);
        return;
      }
      byte[] b = row.buffer();
      int at = row.offset(i);
      if (copyForm.width >= 0 && len != copyForm.width) {
        throw new BadValue("column " + name + ": the source sent " + len + " bytes for a " + m.sourceType()
            + " value, not " + copyForm.width + "; has the column's type changed since the run was planned? Start a new run");
      }
      try {
        if (writePlain(copyForm, b, at, len, 0, 1)) {
          return;
        }
        switch (copyForm) {
          case DATE -> writeDay(PgBinary.epochDay(b, at));
          case TIME -> out.write(PgBinary.int64(b, at), 0, 1);
          case TIMESTAMP -> writeMicros(PgBinary.timestampMicros(b, at));
          case NUMERIC -> {
            long unscaled = m.precision() <= 18 ? PgBinary.numericUnscaled(b, at, m.scale(), m.precision()) : PgBinary.NOT_EXACT;
            if (unscaled == PgBinary.NOT_EXACT) {
              addDecimal(m, PgBinary.numeric(b, at), 0, 1);
            } else {
              writeUnscaled(unscaled);
            }
          }
          case JSONB -> {
            if (b[at] != 1) {
              throw new BadValue("column " + name + ": jsonb binary format version " + b[at] + " is not known; cast the column to text in the query");
            }
            bytes(Binary.fromReusedByteArray(b, at + 1, len - 1), len - 1, 0, 1);
          }
          case ARRAY -> writeArray(b, at, len);
          default -> throw new IllegalStateException("no decoder for " + copyForm);
        }
      } catch (IllegalArgumentException e) {
        throw notWritable(e);
      }
    }

    /**
     * Writes a field of one of the forms that need no checks — integers, floats, booleans, uuids, text and bytes,
     * the forms a list's elements take too — at levels {@code r}/{@code d}; false for any other form.
     */
    private boolean writePlain(PgBinaryRow.Form form, byte[] b, int at, int len, int r, int d) {
      switch (form) {
        case INT2 -> out.write(PgBinary.int16(b, at), r, d);
        case INT4 -> out.write(PgBinary.int32(b, at), r, d);
        case INT8 -> out.write(PgBinary.int64(b, at), r, d);
        case FLOAT4 -> out.write(Float.intBitsToFloat(PgBinary.int32(b, at)), r, d);
        case FLOAT8 -> out.write(Double.longBitsToDouble(PgBinary.int64(b, at)), r, d);
        case BOOL -> out.write(b[at] != 0, r, d);
        case UUID -> out.write(Binary.fromReusedByteArray(b, at, len), r, d);
        // Reused-array Binary: a dictionary copies what it keeps instead of pinning the whole row message.
        case TEXT, BYTEA -> bytes(Binary.fromReusedByteArray(b, at, len), len, r, d);
        default -> {
          return false;
        }
      }
      return true;
    }

    /**
     * An array field (array_send: dimensions, a has-nulls flag, the element type, each dimension's size and lower
     * bound, then each element as a length, -1 for NULL, and its bytes) as a list, like {@link #writeList}: lower
     * bounds are ignored, as the driver's {@code getArray} does.
     */
    private void writeArray(byte[] b, int at, int len) {
      int end = at + len;
      int dimensions = PgBinary.int32(b, at);
      if (dimensions == 0) {
        out.writeNull(0, 1);
        return;
      }
      if (dimensions != 1) {
        throw multiDimensional();
      }
      int n = PgBinary.int32(b, at + 12);
      int p = at + 20;
      for (int i = 0; i < n; i++) {
        int r = i == 0 ? 0 : 1;
        int el = p + 4 <= end ? PgBinary.int32(b, p) : Integer.MAX_VALUE;
        p += 4;
        if (el < 0) {
          out.writeNull(r, 2);
          continue;
        }
        if (el > end - p || (elementForm.width >= 0 && el != elementForm.width)) {
          throw new BadValue("column " + name + ": element " + (i + 1) + " of a " + m.sourceType() + " array does not fit"
              + " its field (" + len + " bytes); has the column's type changed since the run was planned? Start a new run");
        }
        if (!writePlain(elementForm, b, p, el, r, 3)) {
          throw new IllegalStateException("no element decoder for " + elementForm);
        }
        p += el;
      }
      if (n == 0) {
        out.writeNull(0, 1);
      }
    }

    private BadValue multiDimensional() {
      return new BadValue("column " + name + ": multi-dimensional arrays are not supported yet; unnest or cast to text in the query");
    }

    /** A text or binary value of {@code len} bytes, counted for shape drift and fetch sizing. */
    private void bytes(Binary v, int len, int r, int d) {
      maxBytes = Math.max(maxBytes, len);
      variableBytes += len;
      out.write(v, r, d);
    }

    private void writeMicros(long micros) {
      if (PgBinary.isInfinite(micros)) {
        throw infinite("timestamp");
      }
      out.write(micros, 0, 1);
    }

    private void writeDay(long day) {
      if (PgBinary.isInfiniteDay(day)) {
        throw infinite("date");
      }
      out.write((int) day, 0, 1);
    }

    /** An exact decimal of precision ≤ 18 as its unscaled value: INT32 up to 9 digits, INT64 above. */
    private void writeUnscaled(long unscaled) {
      if (m.precision() <= 9) {
        out.write((int) unscaled, 0, 1);
      } else {
        out.write(unscaled, 0, 1);
      }
    }

    private BadValue notWritable(RuntimeException e) {
      return new BadValue("column " + name + ": a value cannot be written as " + m.describe() + " (" + e.getMessage()
          + "); check the columns: override or cast in the query");
    }

    /**
     * Writes the value from the server's bytes as the driver hands them out (see {@link WireFormat}); false when
     * this value needs the general path (a numeric that is not exact at the column's scale, NaN, ±Infinity).
     */
    private boolean writeWire(ResultSet rs) throws SQLException {
      byte[] b = rs.getBytes(jdbcIndex);
      if (b == null) {
        out.writeNull(0, 0);
        return true;
      }
      switch (wire) {
        case PG_BINARY_TIMESTAMP -> writeMicros(PgBinary.timestampMicros(b));
        case PG_BINARY_DATE -> writeDay(PgBinary.epochDay(b));
        case PG_BINARY_NUMERIC -> {
          long unscaled = PgBinary.numericUnscaled(b, m.scale(), m.precision());
          if (unscaled == PgBinary.NOT_EXACT) {
            return false;
          }
          writeUnscaled(unscaled);
        }
        case UTF8_BYTES -> bytes(Binary.fromConstantByteArray(b), b.length, 0, 1);
        default -> {
          return false;
        }
      }
      return true;
    }

    private void writeValue(ResultSet rs) throws SQLException {
      switch (m.kind()) {
        case INT16, INT32 -> {
          int v = rs.getInt(jdbcIndex);
          if (!rs.wasNull()) {
            out.write(v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case UINT64 -> {
          String v = rs.getString(jdbcIndex);
          if (v != null) {
            out.write(Long.parseUnsignedLong(v), 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case INT64 -> {
          long v = rs.getLong(jdbcIndex);
          if (!rs.wasNull()) {
            out.write(v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case FLOAT32 -> {
          float v = rs.getFloat(jdbcIndex);
          if (!rs.wasNull()) {
            out.write(v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case FLOAT64 -> {
          double v = rs.getDouble(jdbcIndex);
          if (!rs.wasNull()) {
            out.write(v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case BOOLEAN -> {
          boolean v = rs.getBoolean(jdbcIndex);
          if (!rs.wasNull()) {
            out.write(v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
        case LIST -> {
          Array a = rs.getArray(jdbcIndex);
          if (a != null) {
            writeList((Object[]) a.getArray());
          } else {
            out.writeNull(0, 0);
          }
        }
        default -> {
          Object v = read(rs);
          if (v != null) {
            add(m, v, 0, 1);
          } else {
            out.writeNull(0, 0);
          }
        }
      }
    }

    private Object read(ResultSet rs) throws SQLException {
      return switch (m.readAs()) {
        case DEFAULT, ENUM_LABEL -> readDefault(rs);
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

    /** Writes a non-null value at repetition level {@code r} and definition level {@code d}. */
    private void add(ColumnMapping mapping, Object v, int r, int d) {
      switch (mapping.kind()) {
        case INT16, INT32 -> out.write(((Number) v).intValue(), r, d);
        case INT64 -> out.write(((Number) v).longValue(), r, d);
        case UINT64 -> out.write(Long.parseUnsignedLong(v.toString()), r, d);
        case FLOAT32 -> out.write(((Number) v).floatValue(), r, d);
        case FLOAT64 -> out.write(((Number) v).doubleValue(), r, d);
        case BOOLEAN -> out.write((boolean) (Boolean) v, r, d);
        case DECIMAL -> addDecimal(mapping, (BigDecimal) v, r, d);
        case DATE -> out.write(Math.toIntExact(checkedDate((LocalDate) v)), r, d);
        case TIME_MICROS -> out.write(timeMicros((LocalTime) v), r, d);
        case TIMESTAMP_MICROS -> out.write(micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC).getEpochSecond(),
            ((LocalDateTime) v).getNano(), v), r, d);
        case TIMESTAMPTZ_MICROS -> out.write(micros(((OffsetDateTime) v).toEpochSecond(), ((OffsetDateTime) v).getNano(), v), r, d);
        case BYTES -> {
          byte[] b = (byte[]) v;
          bytes(Binary.fromConstantByteArray(b), b.length, r, d);
        }
        case UUID -> out.write(Binary.fromConstantByteArray(uuidBytes(v)), r, d);
        default -> {
          byte[] b = v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          bytes(Binary.fromConstantByteArray(b), b.length, r, d);
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

    /**
     * Microseconds after midnight. pgjdbc reads PostgreSQL's {@code time '24:00:00'} as {@link LocalTime#MAX} (no
     * source type holds nanoseconds 999,999,999 otherwise); it is written as 24:00, as the COPY path does.
     */
    static long timeMicros(LocalTime t) {
      return t.equals(LocalTime.MAX) ? END_OF_DAY_MICROS : t.toNanoOfDay() / 1000;
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

    private void addDecimal(ColumnMapping mapping, BigDecimal v, int r, int d) {
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
        out.write(unscaled.intValue(), r, d);
      } else if (mapping.precision() <= 18) {
        out.write(unscaled.longValue(), r, d);
      } else {
        out.write(Binary.fromConstantByteArray(fixed(unscaled.toByteArray(), fixedLen)), r, d);
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

    /**
     * A list in Parquet's three levels (optional group, repeated {@code list}, optional {@code element}): a NULL list
     * is definition level 0, an empty one 1, a NULL element 2, a value 3; a row's first element is at repetition
     * level 0, the rest at 1.
     */
    private void writeList(Object[] values) {
      if (values.length == 0) {
        out.writeNull(0, 1);
        return;
      }
      for (Object e : values) {
        if (e instanceof Object[]) {
          throw multiDimensional();
        }
      }
      for (int i = 0; i < values.length; i++) {
        int r = i == 0 ? 0 : 1;
        if (values[i] == null) {
          out.writeNull(r, 2);
        } else {
          add(m.element(), values[i], r, 3);
        }
      }
    }
  }
}
