package io.rivet.beam;

import io.rivet.core.read.BadValueException;
import io.rivet.core.read.ValueSink;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.schemas.logicaltypes.UuidLogicalType;
import org.apache.beam.sdk.values.Row;

/**
 * Source rows as Beam {@link Row}s: the {@link Schema} of an export's columns, and the {@link
 * ValueSink} that turns each row's values — exactly as the column readers decided them for Parquet
 * — into a row. Every field is nullable and carries the engine's type name as the option {@value
 * #SOURCE_TYPE}; JSON columns are strings marked by the option {@value #KIND} = {@code JSON}.
 *
 * <table>
 *   <caption>Column kinds as Beam types</caption>
 *   <tr><th>kind</th><th>Beam field type</th><th>Java value</th></tr>
 *   <tr><td>BOOLEAN, INT16, INT32, INT64, FLOAT32, FLOAT64</td><td>BOOLEAN, INT16, INT32, INT64,
 *       FLOAT, DOUBLE</td><td>Boolean, Short, Integer, Long, Float, Double</td></tr>
 *   <tr><td>UINT64</td><td>{@code FixedPrecisionNumeric(20, 0)}</td><td>BigDecimal</td></tr>
 *   <tr><td>DECIMAL(p, s)</td><td>{@code FixedPrecisionNumeric(p, s)}</td><td>BigDecimal at
 *       scale s</td></tr>
 *   <tr><td>DATE</td><td>{@code SqlTypes.DATE}</td><td>LocalDate</td></tr>
 *   <tr><td>TIME_MICROS</td><td>{@code SqlTypes.TIME}</td><td>LocalTime</td></tr>
 *   <tr><td>TIMESTAMP_MICROS (no zone)</td><td>{@code SqlTypes.DATETIME}</td>
 *       <td>LocalDateTime</td></tr>
 *   <tr><td>TIMESTAMPTZ_MICROS</td><td>{@code SqlTypes.TIMESTAMP} (micros)</td><td>Instant</td></tr>
 *   <tr><td>STRING, JSON</td><td>STRING</td><td>String</td></tr>
 *   <tr><td>BYTES</td><td>BYTES</td><td>byte[]</td></tr>
 *   <tr><td>UUID</td><td>{@code UuidLogicalType}</td><td>UUID</td></tr>
 *   <tr><td>LIST</td><td>ARRAY of the element's type</td><td>List</td></tr>
 * </table>
 */
final class BeamRows {
  /** The field option holding the engine's type name. */
  static final String SOURCE_TYPE = "rivet_source_type";

  /** The field option holding rivet's column kind. */
  static final String KIND = "rivet_kind";

  private BeamRows() {}

  static Schema schema(List<ColumnMapping> columns) {
    Schema.Builder b = Schema.builder();
    for (ColumnMapping m : columns) {
      b.addField(
          Schema.Field.of(m.name(), type(m))
              .withOptions(
                  Schema.Options.builder()
                      .setOption(SOURCE_TYPE, FieldType.STRING, String.valueOf(m.sourceType()))
                      .setOption(KIND, FieldType.STRING, m.kind().name())
                      .build()));
    }
    return b.build();
  }

  static FieldType type(ColumnMapping m) {
    FieldType t =
        switch (m.kind()) {
          case BOOLEAN -> FieldType.BOOLEAN;
          case INT16 -> FieldType.INT16;
          case INT32 -> FieldType.INT32;
          case INT64 -> FieldType.INT64;
          case UINT64 -> FieldType.logicalType(FixedPrecisionNumeric.of(20, 0));
          case FLOAT32 -> FieldType.FLOAT;
          case FLOAT64 -> FieldType.DOUBLE;
          case DECIMAL ->
              m.precision() > 0
                  ? FieldType.logicalType(FixedPrecisionNumeric.of(m.precision(), m.scale()))
                  : FieldType.DECIMAL;
          case DATE -> FieldType.logicalType(SqlTypes.DATE);
          case TIME_MICROS -> FieldType.logicalType(SqlTypes.TIME);
          case TIMESTAMP_MICROS -> FieldType.logicalType(SqlTypes.DATETIME);
          case TIMESTAMPTZ_MICROS -> FieldType.logicalType(SqlTypes.TIMESTAMP);
          case STRING, JSON -> FieldType.STRING;
          case BYTES -> FieldType.BYTES;
          case UUID -> FieldType.logicalType(new UuidLogicalType());
          case LIST -> FieldType.array(type(m.element()));
        };
    return t.withNullable(true);
  }

  /** Builds one row per source row from the value calls of {@link ValueSink}. */
  static final class Sink implements ValueSink {
    private final Schema schema;
    private final List<ColumnMapping> columns;
    private final Object[] values;
    private final List<List<Object>> lists;

    Sink(Schema schema, List<ColumnMapping> columns) {
      this.schema = schema;
      this.columns = List.copyOf(columns);
      this.values = new Object[columns.size()];
      this.lists = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        lists.add(null);
      }
    }

    /** The row whose values were just written; the sink is ready for the next. */
    Row row() {
      Row r = Row.withSchema(schema).attachValues(Arrays.asList(values.clone()));
      Arrays.fill(values, null);
      return r;
    }

    private ColumnMapping mapping(int column) {
      ColumnMapping m = columns.get(column);
      return lists.get(column) != null ? m.element() : m;
    }

    private void put(int column, Object v) {
      List<Object> list = lists.get(column);
      if (list != null) {
        list.add(v);
      } else {
        values[column] = v;
      }
    }

    @Override
    public void writeNull(int column) {
      put(column, null);
    }

    @Override
    public void writeInt(int column, int value) {
      put(column, mapping(column).kind() == ColumnKind.INT16 ? (Object) (short) value : value);
    }

    @Override
    public void writeLong(int column, long value) {
      put(
          column,
          mapping(column).kind() == ColumnKind.UINT64
              ? new BigDecimal(Long.toUnsignedString(value))
              : (Object) value);
    }

    @Override
    public void writeFloat(int column, float value) {
      put(column, value);
    }

    @Override
    public void writeDouble(int column, double value) {
      put(column, value);
    }

    @Override
    public void writeBoolean(int column, boolean value) {
      put(column, value);
    }

    @Override
    public void writeDecimal(int column, long unscaled) {
      put(column, BigDecimal.valueOf(unscaled, mapping(column).scale()));
    }

    @Override
    public void writeDecimal(int column, BigDecimal scaled) {
      put(column, scaled);
    }

    @Override
    public void writeDate(int column, int epochDay) {
      put(column, LocalDate.ofEpochDay(epochDay));
    }

    @Override
    public void writeTime(int column, long micros) {
      if (micros >= 86_400_000_000L) {
        throw new BadValueException(
            "column "
                + columns.get(column).name()
                + ": the time 24:00:00 has no Beam value (SqlTypes.TIME is a LocalTime);"
                + " export the column to Parquet, or cast it to text in the query",
            null);
      }
      put(column, LocalTime.ofNanoOfDay(micros * 1000));
    }

    @Override
    public void writeTimestamp(int column, long micros) {
      long seconds = Math.floorDiv(micros, 1_000_000L);
      int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
      put(
          column,
          mapping(column).kind() == ColumnKind.TIMESTAMPTZ_MICROS
              ? Instant.ofEpochSecond(seconds, nanos)
              : LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC));
    }

    @Override
    public void writeText(int column, String value) {
      put(column, value);
    }

    @Override
    public void writeBytes(int column, byte[] bytes, int offset, int length) {
      ColumnKind kind = mapping(column).kind();
      put(
          column,
          kind == ColumnKind.BYTES
              ? Arrays.copyOfRange(bytes, offset, offset + length)
              : new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void writeUuid(int column, byte[] bytes, int offset) {
      ByteBuffer b = ByteBuffer.wrap(bytes, offset, 16);
      put(column, new UUID(b.getLong(), b.getLong()));
    }

    @Override
    public void writeZeroDate(int column) {
      put(column, null);
    }

    @Override
    public void startList(int column) {
      lists.set(column, new ArrayList<>());
    }

    @Override
    public void endList(int column) {
      List<Object> list = lists.get(column);
      lists.set(column, null);
      values[column] = list;
    }

    @Override
    public void writeRowHash(long hash) {
      // Rows carry their columns only; _rivet_row_hash is a column of files.
    }
  }
}
