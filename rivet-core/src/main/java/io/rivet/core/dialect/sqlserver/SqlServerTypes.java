package io.rivet.core.dialect.sqlserver;

import io.rivet.core.dialect.ColumnTypes;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** SQL Server column types (as mssql-jdbc names them) → written types (reference §6.3). */
final class SqlServerTypes {
  private SqlServerTypes() {}

  static List<ColumnMapping> map(Connection c, String probeSql, Map<String, String> overrides)
      throws SQLException {
    return ColumnTypes.map(c, probeSql, overrides, SqlServerTypes::resolve);
  }

  static ColumnMapping resolve(String name, String typeName, int precision, int scale) {
    // mssql-jdbc reports identity columns as e.g. "int identity".
    String type = typeName.toLowerCase(Locale.ROOT).replace(" identity", "").trim();
    return switch (type) {
      case "tinyint", "smallint" -> ColumnMapping.of(name, type, ColumnKind.INT16);
      case "int" -> ColumnMapping.of(name, type, ColumnKind.INT32);
      case "bigint" -> ColumnMapping.of(name, type, ColumnKind.INT64);
      case "bit" -> ColumnMapping.of(name, type, ColumnKind.BOOLEAN);
      case "real" -> ColumnMapping.of(name, type, ColumnKind.FLOAT32);
      case "float" -> ColumnMapping.of(name, type, ColumnKind.FLOAT64);
      case "decimal", "numeric" -> ColumnTypes.decimal(name, type, precision, scale);
      case "money" -> ColumnMapping.decimal(name, type, 19, 4);
      case "smallmoney" -> ColumnMapping.decimal(name, type, 10, 4);
      case "date" -> ColumnMapping.of(name, type, ColumnKind.DATE);
      case "time" -> ColumnMapping.of(name, type, ColumnKind.TIME_MICROS);
      // datetime is 1/300 s, smalldatetime whole minutes, datetime2 up to 100 ns: all fit
      // microseconds except datetime2(7)'s last digit, which is truncated (docs/type-mapping.md).
      case "datetime2", "datetime", "smalldatetime" ->
          ColumnMapping.of(name, type, ColumnKind.TIMESTAMP_MICROS);
      case "datetimeoffset" -> ColumnMapping.of(name, type, ColumnKind.TIMESTAMPTZ_MICROS);
      case "char", "varchar", "nchar", "nvarchar", "text", "ntext" ->
          ColumnMapping.of(name, type, ColumnKind.STRING);
      case "binary", "varbinary", "image" -> ColumnMapping.of(name, type, ColumnKind.BYTES);
      // Read as its canonical text, whose byte order is the UUID's (getBytes would give the
      // mixed-endian GUID layout).
      case "uniqueidentifier" -> ColumnMapping.of(name, type, ColumnKind.UUID);
      default -> null;
    };
  }
}
