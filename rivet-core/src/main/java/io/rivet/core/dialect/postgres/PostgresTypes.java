package io.rivet.core.dialect.postgres;

import io.rivet.core.dialect.ColumnTypes;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL column types → written types; resolved once per export at plan time (reference §6.3).
 */
final class PostgresTypes {
  private static final String TYPE_KIND =
      "SELECT t.typtype FROM pg_type t WHERE t.oid = to_regtype(?)";

  private final Connection connection;

  PostgresTypes(Connection connection) {
    this.connection = connection;
  }

  List<ColumnMapping> map(String probeSql, Map<String, String> overrides) throws SQLException {
    return ColumnTypes.map(
        connection,
        probeSql,
        overrides,
        new ColumnTypes.Resolver() {
          @Override
          public ColumnMapping resolve(String name, String type, int precision, int scale)
              throws SQLException {
            return PostgresTypes.this.resolve(name, type, precision, scale);
          }

          @Override
          public String unsupported(String name, String type, int precision) {
            return describeUnsupported(name, type, precision);
          }
        });
  }

  private static String describeUnsupported(String name, String type, int precision) {
    if (type.equals("numeric")) {
      return name
          + " (numeric without precision/scale"
          + (precision > 38 ? " or precision above 38" : "")
          + ": add columns: {"
          + name
          + ": decimal(p,s)})";
    }
    return name + " (" + type + ")";
  }

  /** The mapping of a column, or null when the type is not supported. */
  ColumnMapping resolve(String name, String type, int precision, int scale) throws SQLException {
    if (type.startsWith("_")) {
      ColumnMapping element = resolve("element", type.substring(1), 0, 0);
      if (element == null || !arrayElementSupported(element.kind())) {
        return null;
      }
      return ColumnMapping.list(name, type, element);
    }
    ColumnKind kind =
        switch (type) {
          case "int2" -> ColumnKind.INT16;
          case "int4", "serial" -> ColumnKind.INT32;
          case "int8", "bigserial", "oid" -> ColumnKind.INT64;
          case "float4" -> ColumnKind.FLOAT32;
          case "float8" -> ColumnKind.FLOAT64;
          case "bool" -> ColumnKind.BOOLEAN;
          case "text", "varchar", "bpchar", "name", "char", "citext" -> ColumnKind.STRING;
          case "bytea" -> ColumnKind.BYTES;
          case "date" -> ColumnKind.DATE;
          case "time" -> ColumnKind.TIME_MICROS;
          case "timestamp" -> ColumnKind.TIMESTAMP_MICROS;
          case "timestamptz" -> ColumnKind.TIMESTAMPTZ_MICROS;
          case "uuid" -> ColumnKind.UUID;
          case "json", "jsonb" -> ColumnKind.JSON;
          case "numeric" -> ColumnKind.DECIMAL;
          default -> null;
        };
    if (kind == null && isEnum(type)) {
      return ColumnMapping.of(name, type, ColumnKind.STRING)
          .readAs(ColumnMapping.ReadAs.ENUM_LABEL);
    }
    if (kind == ColumnKind.DECIMAL) {
      // pgjdbc reports precision 0 (or the 1000-digit maximum) for a numeric declared without
      // (p,s).
      return ColumnTypes.decimal(name, type, precision, scale);
    }
    return kind == null ? null : ColumnMapping.of(name, type, kind);
  }

  private static boolean arrayElementSupported(ColumnKind k) {
    return switch (k) {
      case INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, UUID -> true;
      default -> false;
    };
  }

  private boolean isEnum(String type) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(TYPE_KIND)) {
      ps.setString(1, type);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "e".equals(rs.getString(1));
      }
    }
  }
}
