package io.rivet.core.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code columns:} override such as {@code decimal(18,2)} or {@code text}: what a column is
 * written as.
 */
public record TypeOverride(ColumnKind kind, int precision, int scale) {
  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  /** The names the original tool accepts. */
  public static final String ALLOWED =
      "bool, int2, int4, int8, float4, float8, decimal(p,s), date, timestamp, timestamp_tz, text, binary, json, uuid";

  /**
   * Parses an override.
   *
   * @throws IllegalArgumentException with a message that says what is allowed
   */
  public static TypeOverride parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      int p = Integer.parseInt(m.group(1));
      int s = Integer.parseInt(m.group(2));
      if (p < 1 || p > 38 || s > p) {
        throw new IllegalArgumentException(
            "decimal("
                + p
                + ","
                + s
                + ") is out of range; precision must be 1..38 and scale 0..precision");
      }
      return new TypeOverride(ColumnKind.DECIMAL, p, s);
    }
    ColumnKind k =
        switch (t) {
          case "bool", "boolean" -> ColumnKind.BOOLEAN;
          case "int2" -> ColumnKind.INT16;
          case "int4" -> ColumnKind.INT32;
          case "int8" -> ColumnKind.INT64;
          case "float4" -> ColumnKind.FLOAT32;
          case "float8" -> ColumnKind.FLOAT64;
          case "date" -> ColumnKind.DATE;
          case "timestamp" -> ColumnKind.TIMESTAMP_MICROS;
          case "timestamp_tz" -> ColumnKind.TIMESTAMPTZ_MICROS;
          case "text" -> ColumnKind.STRING;
          case "binary" -> ColumnKind.BYTES;
          case "json" -> ColumnKind.JSON;
          case "uuid" -> ColumnKind.UUID;
          case "timestamp_ns", "timestamp_tz_ns" ->
              throw new IllegalArgumentException(
                  "'"
                      + text
                      + "' is not supported yet; use timestamp or timestamp_tz (microseconds)");
          default ->
              throw new IllegalArgumentException(
                  "unknown type '" + text + "'; allowed: " + ALLOWED);
        };
    return new TypeOverride(k, 0, 0);
  }

  public ColumnMapping apply(ColumnMapping source) {
    return new ColumnMapping(
        source.name(),
        source.sourceType(),
        kind,
        precision,
        scale,
        null,
        kind == source.kind() ? source.readAs() : ColumnMapping.ReadAs.DEFAULT);
  }
}
