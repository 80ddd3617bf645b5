package io.rivet.core.check;

import io.rivet.core.schema.ColumnMapping;
import java.util.Locale;

/**
 * What a warehouse sees when it loads a Parquet column rivet writes, and whether that loses
 * anything (reference §1.2, {@code check --type-report --target}). Lossy means some value this
 * column can hold does not arrive as itself: out of the target's range, or another type.
 */
public final class TargetTypes {
  private TargetTypes() {}

  /** The warehouses {@code --target} names. */
  public enum Target {
    BIGQUERY,
    DUCKDB,
    SNOWFLAKE,
    CLICKHOUSE;

    /** {@code bigquery|bq|duckdb|snowflake|sf|clickhouse|ch}. */
    public static Target parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "bigquery", "bq" -> BIGQUERY;
        case "duckdb" -> DUCKDB;
        case "snowflake", "sf" -> SNOWFLAKE;
        case "clickhouse", "ch" -> CLICKHOUSE;
        default ->
            throw new IllegalArgumentException(
                "unknown target '"
                    + s
                    + "'; use bigquery (bq), duckdb, snowflake (sf) or clickhouse (ch)");
      };
    }
  }

  /** The target's type for a column, lossy or not, and why. */
  public record Mapping(String type, boolean lossy, String note) {
    static Mapping exact(String type) {
      return new Mapping(type, false, null);
    }

    static Mapping lossy(String type, String why) {
      return new Mapping(type, true, why);
    }

    static Mapping noted(String type, String note) {
      return new Mapping(type, false, note);
    }
  }

  /** The Parquet type rivet writes for a column, as text (physical type and annotation). */
  public static String parquet(ColumnMapping m) {
    return switch (m.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case INT16 -> "INT32 (INT16)";
      case INT32 -> "INT32";
      case INT64 -> "INT64";
      case UINT64 -> "INT64 (UINT64)";
      case FLOAT32 -> "FLOAT";
      case FLOAT64 -> "DOUBLE";
      case DECIMAL -> "DECIMAL(" + m.precision() + "," + m.scale() + ")";
      case DATE -> "INT32 (DATE)";
      case TIME_MICROS -> "INT64 (TIME µs)";
      case TIMESTAMP_MICROS -> "INT64 (TIMESTAMP µs, local)";
      case TIMESTAMPTZ_MICROS -> "INT64 (TIMESTAMP µs, UTC)";
      case STRING -> "BINARY (STRING)";
      case JSON -> "BINARY (JSON)";
      case BYTES -> "BINARY";
      case UUID -> "FIXED_LEN_BYTE_ARRAY(16) (UUID)";
      case LIST -> "LIST<" + parquet(m.element()) + ">";
    };
  }

  public static Mapping of(ColumnMapping m, Target t) {
    return switch (t) {
      case BIGQUERY -> bigQuery(m);
      case DUCKDB -> duckDb(m);
      case SNOWFLAKE -> snowflake(m);
      case CLICKHOUSE -> clickHouse(m);
    };
  }

  private static Mapping bigQuery(ColumnMapping m) {
    return switch (m.kind()) {
      case BOOLEAN -> Mapping.exact("BOOL");
      case INT16, INT32, INT64 -> Mapping.exact("INT64");
      case UINT64 -> Mapping.lossy("INT64", "values above 2^63-1 do not fit INT64");
      case FLOAT32 -> Mapping.noted("FLOAT64", "widened to double, exactly");
      case FLOAT64 -> Mapping.exact("FLOAT64");
      case DECIMAL ->
          m.scale() <= 9 && m.precision() - m.scale() <= 29
              ? Mapping.exact("NUMERIC")
              : Mapping.exact("BIGNUMERIC");
      case DATE -> Mapping.exact("DATE");
      case TIME_MICROS -> Mapping.noted("TIME", "PostgreSQL's 24:00:00 is out of TIME's range");
      case TIMESTAMP_MICROS -> Mapping.exact("DATETIME");
      case TIMESTAMPTZ_MICROS -> Mapping.exact("TIMESTAMP");
      case STRING -> Mapping.exact("STRING");
      case JSON -> Mapping.exact("JSON");
      case BYTES -> Mapping.exact("BYTES");
      case UUID -> Mapping.lossy("BYTES", "BigQuery has no UUID type: the 16 bytes, not the text");
      case LIST -> Mapping.lossy("ARRAY", "BigQuery arrays cannot hold NULL elements");
    };
  }

  private static Mapping duckDb(ColumnMapping m) {
    return switch (m.kind()) {
      case BOOLEAN -> Mapping.exact("BOOLEAN");
      case INT16 -> Mapping.exact("SMALLINT");
      case INT32 -> Mapping.exact("INTEGER");
      case INT64 -> Mapping.exact("BIGINT");
      case UINT64 -> Mapping.exact("UBIGINT");
      case FLOAT32 -> Mapping.exact("FLOAT");
      case FLOAT64 -> Mapping.exact("DOUBLE");
      case DECIMAL -> Mapping.exact("DECIMAL(" + m.precision() + "," + m.scale() + ")");
      case DATE -> Mapping.exact("DATE");
      case TIME_MICROS -> Mapping.exact("TIME");
      case TIMESTAMP_MICROS -> Mapping.exact("TIMESTAMP");
      case TIMESTAMPTZ_MICROS -> Mapping.exact("TIMESTAMP WITH TIME ZONE");
      case STRING -> Mapping.exact("VARCHAR");
      case JSON -> Mapping.exact("JSON");
      case BYTES -> Mapping.exact("BLOB");
      case UUID -> Mapping.exact("UUID");
      case LIST -> Mapping.exact(duckDb(m.element()).type() + "[]");
    };
  }

  private static Mapping snowflake(ColumnMapping m) {
    return switch (m.kind()) {
      case BOOLEAN -> Mapping.exact("BOOLEAN");
      case INT16, INT32, INT64 -> Mapping.exact("NUMBER(38,0)");
      case UINT64 -> Mapping.exact("NUMBER(20,0)");
      case FLOAT32 -> Mapping.noted("FLOAT", "widened to double, exactly");
      case FLOAT64 -> Mapping.exact("FLOAT");
      case DECIMAL -> Mapping.exact("NUMBER(" + m.precision() + "," + m.scale() + ")");
      case DATE -> Mapping.exact("DATE");
      case TIME_MICROS -> Mapping.exact("TIME(6)");
      case TIMESTAMP_MICROS -> Mapping.exact("TIMESTAMP_NTZ(6)");
      case TIMESTAMPTZ_MICROS ->
          Mapping.noted("TIMESTAMP_TZ(6)", "UTC; the source's offset is not kept");
      case STRING -> Mapping.noted("VARCHAR", "at most 16 MB per value");
      case JSON -> Mapping.noted("VARIANT", "through PARSE_JSON; at most 16 MB per value");
      case BYTES -> Mapping.noted("BINARY", "at most 8 MB per value");
      case UUID ->
          Mapping.lossy("BINARY(16)", "Snowflake has no UUID type: the 16 bytes, not the text");
      case LIST -> Mapping.noted("ARRAY", "elements as VARIANT");
    };
  }

  private static Mapping clickHouse(ColumnMapping m) {
    return switch (m.kind()) {
      case BOOLEAN -> Mapping.exact("Bool");
      case INT16 -> Mapping.exact("Int16");
      case INT32 -> Mapping.exact("Int32");
      case INT64 -> Mapping.exact("Int64");
      case UINT64 -> Mapping.exact("UInt64");
      case FLOAT32 -> Mapping.exact("Float32");
      case FLOAT64 -> Mapping.exact("Float64");
      case DECIMAL -> Mapping.exact("Decimal(" + m.precision() + "," + m.scale() + ")");
      case DATE -> Mapping.lossy("Date32", "Date32 holds 1900-01-01 to 2299-12-31 only");
      case TIME_MICROS ->
          Mapping.lossy("Int64", "ClickHouse has no time of day type: microseconds");
      case TIMESTAMP_MICROS -> Mapping.lossy("DateTime64(6)", "DateTime64 holds 1900 to 2299 only");
      case TIMESTAMPTZ_MICROS ->
          Mapping.lossy("DateTime64(6, 'UTC')", "DateTime64 holds 1900 to 2299 only");
      case STRING, JSON -> Mapping.exact("String");
      case BYTES -> Mapping.exact("String");
      case UUID -> Mapping.exact("UUID");
      case LIST -> Mapping.exact("Array(Nullable(" + clickHouse(m.element()).type() + "))");
    };
  }
}
