package io.rivet.core.dialect.postgres;

import io.rivet.core.read.BadValueException;
import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import io.rivet.core.schema.ColumnMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one column's field of a binary COPY row into a {@link ValueSink}, decoded as its {@link
 * PgBinaryRow.Form} (chosen once per column from its mapping): the COPY path's counterpart of the
 * driver's getters, yielding the same values.
 */
final class PgCopyFieldReader {
  private final ColumnMapping mapping;
  private final int column;
  private final PgBinaryRow.Form form;

  /** How a list column's elements are decoded (null for other columns). */
  private final PgBinaryRow.Form elementForm;

  private PgCopyFieldReader(ColumnMapping mapping, int column) {
    this.mapping = mapping;
    this.column = column;
    this.form = PgBinaryRow.form(mapping);
    this.elementForm = PgBinaryRow.elementForm(mapping);
  }

  static List<PgCopyFieldReader> forColumns(List<ColumnMapping> columns) {
    List<PgCopyFieldReader> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      out.add(new PgCopyFieldReader(columns.get(i), i));
    }
    return List.copyOf(out);
  }

  /**
   * How a column is read from binary COPY, or null when it cannot be (see {@link
   * PgBinaryRow#form}).
   */
  static PgBinaryRow.Form form(ColumnMapping m) {
    return PgBinaryRow.form(m);
  }

  void read(PgBinaryRow row, ValueSink sink) {
    int len = row.length(column);
    if (len < 0) {
      sink.writeNull(column);
      return;
    }
    byte[] b = row.buffer();
    int at = row.offset(column);
    if (form.width >= 0 && len != form.width) {
      throw new BadValueException(
          "column "
              + mapping.name()
              + ": the source sent "
              + len
              + " bytes for a "
              + mapping.sourceType()
              + " value, not "
              + form.width
              + "; has the column's type changed since the run was"
              + " planned? Start a new run",
          null);
    }
    try {
      if (!plain(form, b, at, len, sink)) {
        special(b, at, len, sink);
      }
    } catch (IllegalArgumentException e) {
      throw Values.notWritable(mapping, e);
    }
  }

  /**
   * Writes a field of one of the forms that need no checks — integers, floats, booleans, uuids,
   * text and bytes, the forms a list's elements take too; false for any other form.
   */
  private boolean plain(PgBinaryRow.Form f, byte[] b, int at, int len, ValueSink sink) {
    switch (f) {
      case INT2 -> sink.writeInt(column, PgBinary.int16(b, at));
      case INT4 -> sink.writeInt(column, PgBinary.int32(b, at));
      case INT8 -> sink.writeLong(column, PgBinary.int64(b, at));
      case FLOAT4 -> sink.writeFloat(column, Float.intBitsToFloat(PgBinary.int32(b, at)));
      case FLOAT8 -> sink.writeDouble(column, Double.longBitsToDouble(PgBinary.int64(b, at)));
      case BOOL -> sink.writeBoolean(column, b[at] != 0);
      case UUID -> sink.writeUuid(column, b, at);
      case TEXT, BYTEA -> sink.writeBytes(column, b, at, len);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void special(byte[] b, int at, int len, ValueSink sink) {
    switch (form) {
      case DATE -> {
        long day = PgBinary.epochDay(b, at);
        if (PgBinary.isInfiniteDay(day)) {
          throw Values.infinite(mapping, "date");
        }
        sink.writeDate(column, (int) day);
      }
      case TIME -> sink.writeTime(column, PgBinary.int64(b, at));
      case TIMESTAMP -> {
        long micros = PgBinary.timestampMicros(b, at);
        if (PgBinary.isInfinite(micros)) {
          throw Values.infinite(mapping, "timestamp");
        }
        sink.writeTimestamp(column, micros);
      }
      case NUMERIC -> {
        long unscaled =
            mapping.precision() <= 18
                ? PgBinary.numericUnscaled(b, at, mapping.scale(), mapping.precision())
                : PgBinary.NOT_EXACT;
        if (unscaled == PgBinary.NOT_EXACT) {
          sink.writeDecimal(column, Values.scaled(mapping, PgBinary.numeric(b, at)));
        } else {
          sink.writeDecimal(column, unscaled);
        }
      }
      case JSONB -> {
        if (b[at] != 1) {
          throw new BadValueException(
              "column "
                  + mapping.name()
                  + ": jsonb binary format version "
                  + b[at]
                  + " is not known; cast the column to text in the query",
              null);
        }
        sink.writeBytes(column, b, at + 1, len - 1);
      }
      case ARRAY -> array(b, at, len, sink);
      default -> throw new IllegalStateException("no decoder for " + form);
    }
  }

  /**
   * An array field (array_send: dimensions, a has-nulls flag, the element type, each dimension's
   * size and lower bound, then each element as a length, -1 for NULL, and its bytes) as a list;
   * lower bounds are ignored, as the driver's {@code getArray} does.
   */
  private void array(byte[] b, int at, int len, ValueSink sink) {
    int end = at + len;
    int dimensions = PgBinary.int32(b, at);
    if (dimensions > 1) {
      throw Values.multiDimensional(mapping);
    }
    int n = dimensions == 0 ? 0 : PgBinary.int32(b, at + 12);
    int p = at + 20;
    sink.startList(column);
    for (int i = 0; i < n; i++) {
      int el = p + 4 <= end ? PgBinary.int32(b, p) : Integer.MAX_VALUE;
      p += 4;
      if (el < 0) {
        sink.writeNull(column);
        continue;
      }
      if (el > end - p || (elementForm.width >= 0 && el != elementForm.width)) {
        throw new BadValueException(
            "column "
                + mapping.name()
                + ": element "
                + (i + 1)
                + " of a "
                + mapping.sourceType()
                + " array does not fit its field ("
                + len
                + " bytes); has the column's type changed"
                + " since the run was planned? Start a new run",
            null);
      }
      if (!plain(elementForm, b, p, el, sink)) {
        throw new IllegalStateException("no element decoder for " + elementForm);
      }
      p += el;
    }
    sink.endList(column);
  }
}
