package io.rivet.core.dialect.sqlserver;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.schema.ColumnMapping;
import java.util.List;

/**
 * SQL Server's SQL for the content checksum (2019 and later: text is hashed as UTF-8 through a
 * {@code _UTF8} collation, as the files hold it; a float's bits through {@code BINARY(8)}).
 */
final class SqlServerChecksumSql implements ChecksumSql {
  static final SqlServerChecksumSql INSTANCE = new SqlServerChecksumSql();

  private SqlServerChecksumSql() {}

  @Override
  public String column(String name) {
    return ROWS + ".[" + name.replace("]", "]]") + "]";
  }

  @Override
  public String token(ColumnMapping c, String e) {
    return "(CASE WHEN " + e + " IS NULL THEN 'N' ELSE " + present(c, e) + " END)";
  }

  private static String md5Hex(String bytes) {
    return "LOWER(CONVERT(VARCHAR(32), HASHBYTES('MD5', " + bytes + "), 2))";
  }

  private String present(ColumnMapping c, String e) {
    return switch (c.kind()) {
      case BOOLEAN -> "(CASE WHEN " + e + " = 1 THEN 't' ELSE 'f' END)";
      case INT16, INT32, INT64, UINT64 -> "CAST(" + e + " AS VARCHAR(20))";
      case FLOAT32, FLOAT64 ->
          "(CASE WHEN "
              + e
              + " = 0 THEN '0000000000000000' ELSE LOWER(CONVERT(VARCHAR(16), CAST(CAST("
              + e
              + " AS FLOAT) AS BINARY(8)), 2)) END)";
      case DECIMAL -> "CAST(CAST(" + e + " AS DECIMAL(38, " + c.scale() + ")) AS VARCHAR(50))";
      case DATE -> "CAST(DATEDIFF_BIG(day, CAST('19700101' AS DATE), " + e + ") AS VARCHAR(20))";
      case TIME_MICROS ->
          "CAST(DATEDIFF_BIG(microsecond, CAST('00:00:00' AS TIME(7)), " + e + ") AS VARCHAR(20))";
      case TIMESTAMP_MICROS ->
          "CAST(DATEDIFF_BIG(microsecond, CAST('19700101' AS DATETIME2(7)), CAST("
              + e
              + " AS DATETIME2(7))) AS VARCHAR(20))";
      case TIMESTAMPTZ_MICROS ->
          "CAST(DATEDIFF_BIG(microsecond, CAST('19700101' AS DATETIME2(7)), CAST(SWITCHOFFSET("
              + e
              + ", '+00:00') AS DATETIME2(7))) AS VARCHAR(20))";
      case STRING, JSON ->
          md5Hex(
              "CAST(CAST("
                  + e
                  + " AS NVARCHAR(MAX)) COLLATE Latin1_General_100_BIN2_UTF8 AS VARCHAR(MAX))");
      case BYTES -> md5Hex(e);
      case UUID -> "LOWER(CONVERT(CHAR(36), " + e + "))";
      case LIST ->
          throw new RivetException(
              ErrorCode.NOT_SUPPORTED_YET,
              "column " + c.name() + ": SQL Server has no list columns to checksum");
    };
  }

  @Override
  public String rowHash(String rowText) {
    return "CAST(CAST(SUBSTRING(HASHBYTES('MD5', CAST("
        + rowText
        + " AS VARCHAR(MAX))), 1, 8) AS BIGINT) AS DECIMAL(38, 0))";
  }

  @Override
  public String concat(List<String> parts) {
    return parts.size() == 1 ? parts.get(0) : "CONCAT(" + String.join(", ", parts) + ")";
  }
}
