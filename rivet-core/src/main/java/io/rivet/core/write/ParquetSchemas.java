package io.rivet.core.write;

import io.rivet.core.schema.ColumnMapping;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Column mappings → the Parquet schema. Every column is OPTIONAL; lists use the standard 3-level
 * form.
 */
public final class ParquetSchemas {
  public static final String EXPORTED_AT = "_rivet_exported_at";
  public static final String ROW_HASH = "_rivet_row_hash";

  private ParquetSchemas() {}

  public static MessageType messageType(List<ColumnMapping> columns, boolean exportedAt) {
    return messageType(columns, exportedAt, false);
  }

  public static MessageType messageType(
      List<ColumnMapping> columns, boolean exportedAt, boolean rowHash) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (ColumnMapping m : columns) {
      b.addField(field(m, m.name(), Type.Repetition.OPTIONAL));
    }
    if (exportedAt) {
      b.addField(
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
              .named(EXPORTED_AT));
    }
    if (rowHash) {
      b.addField(Types.optional(PrimitiveTypeName.INT64).named(ROW_HASH));
    }
    return b.named("rivet");
  }

  static Type field(ColumnMapping m, String name, Type.Repetition rep) {
    return switch (m.kind()) {
      case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
      case INT16 ->
          Types.primitive(PrimitiveTypeName.INT32, rep)
              .as(LogicalTypeAnnotation.intType(16, true))
              .named(name);
      case INT32 -> Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
      case INT64 -> Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
      case UINT64 ->
          Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(LogicalTypeAnnotation.intType(64, false))
              .named(name);
      case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
      case FLOAT64 -> Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
      case DECIMAL -> decimal(m, name, rep);
      case DATE ->
          Types.primitive(PrimitiveTypeName.INT32, rep)
              .as(LogicalTypeAnnotation.dateType())
              .named(name);
      case TIME_MICROS ->
          Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(LogicalTypeAnnotation.timeType(false, TimeUnit.MICROS))
              .named(name);
      case TIMESTAMP_MICROS ->
          Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS))
              .named(name);
      case TIMESTAMPTZ_MICROS ->
          Types.primitive(PrimitiveTypeName.INT64, rep)
              .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
              .named(name);
      case STRING ->
          Types.primitive(PrimitiveTypeName.BINARY, rep)
              .as(LogicalTypeAnnotation.stringType())
              .named(name);
      case JSON ->
          Types.primitive(PrimitiveTypeName.BINARY, rep)
              .as(LogicalTypeAnnotation.jsonType())
              .named(name);
      case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
      case UUID ->
          Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
              .length(16)
              .as(LogicalTypeAnnotation.uuidType())
              .named(name);
      case LIST ->
          Types.buildGroup(rep)
              .as(LogicalTypeAnnotation.listType())
              .addField(
                  Types.repeatedGroup()
                      .addField(field(m.element(), "element", Type.Repetition.OPTIONAL))
                      .named("list"))
              .named(name);
    };
  }

  private static Type decimal(ColumnMapping m, String name, Type.Repetition rep) {
    LogicalTypeAnnotation dec = LogicalTypeAnnotation.decimalType(m.scale(), m.precision());
    if (m.precision() <= 9) {
      return Types.primitive(PrimitiveTypeName.INT32, rep).as(dec).named(name);
    }
    if (m.precision() <= 18) {
      return Types.primitive(PrimitiveTypeName.INT64, rep).as(dec).named(name);
    }
    return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
        .length(decimalBytes(m.precision()))
        .as(dec)
        .named(name);
  }

  /**
   * The fewest bytes whose two's complement holds every unscaled value of {@code precision} digits.
   */
  static int decimalBytes(int precision) {
    return (int) Math.ceil((precision * Math.log(10) / Math.log(2) + 1) / 8);
  }
}
