package io.rivet.core.schema;

import java.io.Serializable;
import java.util.Locale;

/**
 * How one source column is written: the engine's type name, the logical kind, decimal precision and
 * scale, the element mapping of a list, and how the driver's value is read. Resolved once per table
 * at plan time.
 */
public record ColumnMapping(
    String name,
    String sourceType,
    ColumnKind kind,
    int precision,
    int scale,
    ColumnMapping element,
    ReadAs readAs)
    implements Serializable {

  /** How a value is taken from the driver when the kind alone does not say it. */
  public enum ReadAs {
    /** The kind's natural getter. */
    DEFAULT,
    /**
     * A date or timestamp whose zero value (MySQL {@code 0000-00-00}) is written as NULL and
     * counted.
     */
    ZERO_DATE_AS_NULL,
    /** A zero date column that also is UTC wall-clock time (MySQL TIMESTAMP). */
    ZERO_DATE_AS_NULL_UTC,
    /**
     * A PostgreSQL enum, written as its label: the driver reads it like text (as {@link #DEFAULT});
     * marked so binary COPY knows its field is the label's bytes (enum_send), which an arbitrary
     * type overridden to string is not.
     */
    ENUM_LABEL
  }

  public ColumnMapping {
    readAs = readAs == null ? ReadAs.DEFAULT : readAs;
  }

  public static ColumnMapping of(String name, String sourceType, ColumnKind kind) {
    return new ColumnMapping(name, sourceType, kind, 0, 0, null, ReadAs.DEFAULT);
  }

  public static ColumnMapping decimal(String name, String sourceType, int precision, int scale) {
    return new ColumnMapping(
        name, sourceType, ColumnKind.DECIMAL, precision, scale, null, ReadAs.DEFAULT);
  }

  public static ColumnMapping list(String name, String sourceType, ColumnMapping element) {
    return new ColumnMapping(name, sourceType, ColumnKind.LIST, 0, 0, element, ReadAs.DEFAULT);
  }

  public ColumnMapping readAs(ReadAs how) {
    return new ColumnMapping(name, sourceType, kind, precision, scale, element, how);
  }

  /** The type as a short text, e.g. {@code decimal(12,2)} or {@code list<int32>}. */
  public String describe() {
    return switch (kind) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case LIST -> "list<" + element.describe() + ">";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }

  /** A rough width in bytes, used to size fetches and row groups. */
  public int estimatedBytes() {
    return switch (kind) {
          case BOOLEAN -> 1;
          case INT16 -> 2;
          case INT32, FLOAT32, DATE -> 4;
          case INT64, UINT64, FLOAT64, TIME_MICROS, TIMESTAMP_MICROS, TIMESTAMPTZ_MICROS -> 8;
          case DECIMAL, UUID -> 16;
          case STRING, JSON, BYTES -> 64;
          case LIST -> 128;
        }
        + 1;
  }

  /** Whether the kind is an integer that can key a range chunk. */
  public boolean integral() {
    return kind == ColumnKind.INT16 || kind == ColumnKind.INT32 || kind == ColumnKind.INT64;
  }
}
