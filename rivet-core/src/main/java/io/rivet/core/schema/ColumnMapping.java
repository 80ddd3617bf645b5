package io.rivet.core.schema;

import java.io.Serializable;

/**
 * How one source column is written: the engine's type name, the logical kind, and for decimals the
 * precision and scale; for lists the element mapping. Resolved once per table at plan time.
 */
public record ColumnMapping(String name, String sourceType, ColumnKind kind, int precision, int scale, ColumnMapping element)
    implements Serializable {

  public static ColumnMapping of(String name, String sourceType, ColumnKind kind) {
    return new ColumnMapping(name, sourceType, kind, 0, 0, null);
  }

  public static ColumnMapping decimal(String name, String sourceType, int precision, int scale) {
    return new ColumnMapping(name, sourceType, ColumnKind.DECIMAL, precision, scale, null);
  }

  public static ColumnMapping list(String name, String sourceType, ColumnMapping element) {
    return new ColumnMapping(name, sourceType, ColumnKind.LIST, 0, 0, element);
  }

  /** The type as a short text, e.g. {@code decimal(12,2)} or {@code list<int32>}. */
  public String describe() {
    return switch (kind) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case LIST -> "list<" + element.describe() + ">";
      default -> kind.name().toLowerCase();
    };
  }

  /** A rough width in bytes, used to size fetches and row groups. */
  public int estimatedBytes() {
    return switch (kind) {
      case BOOLEAN -> 1;
      case INT16 -> 2;
      case INT32, FLOAT32, DATE -> 4;
      case INT64, FLOAT64, TIME_MICROS, TIMESTAMP_MICROS, TIMESTAMPTZ_MICROS -> 8;
      case DECIMAL, UUID -> 16;
      case STRING, JSON, BYTES -> 64;
      case LIST -> 128;
    } + 1;
  }
}
