package io.rivet.core.dialect.postgres;

import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One row of a binary {@code COPY … TO STDOUT}: the message's bytes and where each field lies in
 * them (a length of -1 is NULL). Refilled for every row by {@link PgCopyStream}; the bytes are not
 * reused between rows.
 */
public final class PgBinaryRow {
  /**
   * How a column's binary field is decoded; chosen once per column from its mapping (see {@link
   * #form}).
   */
  public enum Form {
    INT2(2),
    INT4(4),
    INT8(8),
    FLOAT4(4),
    FLOAT8(8),
    BOOL(1),
    DATE(4),
    TIME(8),
    TIMESTAMP(8),
    UUID(16),
    NUMERIC(-1),
    TEXT(-1),
    JSONB(-1),
    BYTEA(-1),
    /** A one-dimensional array (array_send) of elements of {@link #elementForm}. */
    ARRAY(-1);

    /** The field's fixed length in bytes, or -1 when it varies. */
    public final int width;

    Form(int width) {
      this.width = width;
    }
  }

  byte[] buffer;
  final int[] offsets;
  final int[] lengths;

  PgBinaryRow(int columns) {
    offsets = new int[columns];
    lengths = new int[columns];
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Where column {@code i}'s field (0-based) starts in {@link #buffer()}. */
  public int offset(int i) {
    return offsets[i];
  }

  /** Column {@code i}'s field length in bytes, -1 for NULL. */
  public int length(int i) {
    return lengths[i];
  }

  /** Column {@code i}'s value as a long, for an int2, int4 or int8 field (the chunk key). */
  public long integer(int i) {
    int at = offsets[i];
    return switch (lengths[i]) {
      case 2 -> PgBinary.int16(buffer, at);
      case 4 -> PgBinary.int32(buffer, at);
      case 8 -> PgBinary.int64(buffer, at);
      default ->
          throw new IllegalStateException(
              "column " + (i + 1) + " is not an integer field (" + lengths[i] + " bytes)");
    };
  }

  /**
   * A keyset key's field as the text the driver's {@code getString} gives for it — an integer, a
   * text type or a uuid decoded as {@code form} — from {@code len} bytes at {@code at} of a row
   * message kept from an earlier row (each row arrives in its own array, so a kept one stays
   * valid).
   */
  public static String keyText(byte[] b, int at, int len, Form form) {
    return switch (form) {
      case INT2 -> Short.toString(PgBinary.int16(b, at));
      case INT4 -> Integer.toString(PgBinary.int32(b, at));
      case INT8 -> Long.toString(PgBinary.int64(b, at));
      case TEXT -> new String(b, at, len, StandardCharsets.UTF_8);
      case UUID -> new UUID(PgBinary.int64(b, at), PgBinary.int64(b, at + 8)).toString();
      default -> throw new IllegalStateException(form + " cannot be a keyset key");
    };
  }

  /**
   * How a column is read from binary COPY, or null when it cannot be (its type or written kind is
   * not one the decoders know, or it is read in a special way): the export then reads through the
   * driver instead. Only the pairs the type mapping itself makes are accepted, so an override to
   * another kind falls back too.
   */
  public static Form form(ColumnMapping m) {
    if (m.readAs() == ColumnMapping.ReadAs.ENUM_LABEL) {
      // enum_send: the label's text in the client encoding.
      return m.kind() == ColumnKind.STRING ? Form.TEXT : null;
    }
    if (m.readAs() != ColumnMapping.ReadAs.DEFAULT) {
      return null;
    }
    ColumnKind k = m.kind();
    if (k == ColumnKind.LIST) {
      return elementForm(m) != null ? Form.ARRAY : null;
    }
    String type = m.sourceType();
    int typmod = type.indexOf('(');
    return switch (typmod < 0 ? type : type.substring(0, typmod)) {
      case "int2", "smallserial" -> k == ColumnKind.INT16 ? Form.INT2 : null;
      case "int4", "serial" -> k == ColumnKind.INT32 ? Form.INT4 : null;
      case "int8", "bigserial" -> k == ColumnKind.INT64 ? Form.INT8 : null;
      case "float4" -> k == ColumnKind.FLOAT32 ? Form.FLOAT4 : null;
      case "float8" -> k == ColumnKind.FLOAT64 ? Form.FLOAT8 : null;
      case "bool" -> k == ColumnKind.BOOLEAN ? Form.BOOL : null;
      case "date" -> k == ColumnKind.DATE ? Form.DATE : null;
      // time_send: int64 microseconds since midnight, as the written TIME(MICROS) holds it.
      case "time" -> k == ColumnKind.TIME_MICROS ? Form.TIME : null;
      case "timestamp" -> k == ColumnKind.TIMESTAMP_MICROS ? Form.TIMESTAMP : null;
      case "timestamptz" -> k == ColumnKind.TIMESTAMPTZ_MICROS ? Form.TIMESTAMP : null;
      case "uuid" -> k == ColumnKind.UUID ? Form.UUID : null;
      case "numeric" -> k == ColumnKind.DECIMAL ? Form.NUMERIC : null;
      // textsend/bpcharsend/namesend/json_send: the text's bytes in the client encoding (pgjdbc
      // sets UTF8).
      case "text", "varchar", "bpchar", "name" -> k == ColumnKind.STRING ? Form.TEXT : null;
      case "json" -> k == ColumnKind.JSON ? Form.TEXT : null;
      // jsonb_send: a version byte (1), then the same text jsonb_out prints.
      case "jsonb" -> k == ColumnKind.JSON ? Form.JSONB : null;
      case "bytea" -> k == ColumnKind.BYTES ? Form.BYTEA : null;
      default -> null;
    };
  }

  /**
   * How the elements of a list column are decoded, or null when they cannot be: scalars of fixed
   * width, text and uuids — the element kinds the type mapping makes lists of.
   */
  public static Form elementForm(ColumnMapping list) {
    if (list.kind() != ColumnKind.LIST || !list.sourceType().startsWith("_")) {
      return null;
    }
    Form f = form(list.element());
    return f == null
        ? null
        : switch (f) {
          case INT2, INT4, INT8, FLOAT4, FLOAT8, BOOL, TEXT, UUID -> f;
          default -> null;
        };
  }
}
