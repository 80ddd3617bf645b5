package io.rivet.core.dialect.mysql;

import io.rivet.core.dialect.ColumnTypes;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.schema.ColumnMapping.ReadAs;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MySQL/MariaDB column types (as mysql-connector-j names them) → written types (reference §6.3).
 */
final class MySqlTypes {
  private MySqlTypes() {}

  static List<ColumnMapping> map(Connection c, String probeSql, Map<String, String> overrides)
      throws SQLException {
    return ColumnTypes.map(c, probeSql, overrides, MySqlTypes::resolve);
  }

  static ColumnMapping resolve(String name, String typeName, int precision, int scale) {
    String type = typeName.toUpperCase(Locale.ROOT);
    ColumnKind kind =
        switch (type) {
          // tinyint(1) arrives as BIT with precision 1 (connector-j tinyInt1isBit); bit(n>1) is a
          // number.
          case "BIT" -> precision <= 1 ? ColumnKind.BOOLEAN : ColumnKind.INT64;
          case "BOOLEAN", "BOOL" -> ColumnKind.BOOLEAN;
          case "TINYINT" -> precision == 1 ? ColumnKind.BOOLEAN : ColumnKind.INT16;
          case "TINYINT UNSIGNED", "SMALLINT", "YEAR" -> ColumnKind.INT16;
          case "SMALLINT UNSIGNED", "MEDIUMINT", "MEDIUMINT UNSIGNED", "INT", "INTEGER" ->
              ColumnKind.INT32;
          case "INT UNSIGNED", "INTEGER UNSIGNED", "BIGINT" -> ColumnKind.INT64;
          case "BIGINT UNSIGNED" -> ColumnKind.UINT64;
          case "FLOAT", "FLOAT UNSIGNED" -> ColumnKind.FLOAT32;
          case "DOUBLE", "DOUBLE UNSIGNED", "REAL" -> ColumnKind.FLOAT64;
          case "DECIMAL", "DECIMAL UNSIGNED", "NUMERIC" -> ColumnKind.DECIMAL;
          case "DATE" -> ColumnKind.DATE;
          case "DATETIME" -> ColumnKind.TIMESTAMP_MICROS;
          case "TIMESTAMP" -> ColumnKind.TIMESTAMPTZ_MICROS;
          case "TIME" -> ColumnKind.TIME_MICROS;
          case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET" ->
              ColumnKind.STRING;
          case "JSON" -> ColumnKind.JSON;
          case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" ->
              ColumnKind.BYTES;
          default -> null;
        };
    if (kind == null) {
      return null;
    }
    if (kind == ColumnKind.DECIMAL) {
      return ColumnTypes.decimal(name, typeName.toLowerCase(Locale.ROOT), precision, scale);
    }
    ColumnMapping m = ColumnMapping.of(name, typeName.toLowerCase(Locale.ROOT), kind);
    return switch (type) {
      // 0000-00-00 has no date: written as NULL and counted (docs/type-mapping.md, zero dates).
      case "DATE", "DATETIME" -> m.readAs(ReadAs.ZERO_DATE_AS_NULL);
      case "TIMESTAMP" -> m.readAs(ReadAs.ZERO_DATE_AS_NULL_UTC);
      default -> m;
    };
  }
}
