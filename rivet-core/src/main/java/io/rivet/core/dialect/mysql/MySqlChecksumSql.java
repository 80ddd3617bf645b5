package io.rivet.core.dialect.mysql;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.schema.ColumnMapping;
import java.util.List;

/**
 * MySQL's and MariaDB's SQL for the content checksum. Neither has a way to read a double's bits, so
 * a float's token is built exactly from its binary exponent and mantissa (division by a power of
 * two is exact in IEEE arithmetic; {@code LOG2}'s rounding is corrected by one either way). Neither
 * stores NaN or infinities. A zero date has no value and gives {@code N}, as the files hold NULL
 * for it. Timestamps are read in the session's {@code +00:00}, as the export reads them.
 */
final class MySqlChecksumSql implements ChecksumSql {
  static final MySqlChecksumSql INSTANCE = new MySqlChecksumSql();

  private MySqlChecksumSql() {}

  @Override
  public String column(String name) {
    return ROWS + ".`" + name.replace("`", "``") + "`";
  }

  @Override
  public String token(ColumnMapping c, String e) {
    return "(CASE WHEN " + e + " IS NULL THEN 'N' ELSE COALESCE(" + present(c, e) + ", 'N') END)";
  }

  private String present(ColumnMapping c, String e) {
    return switch (c.kind()) {
      case BOOLEAN -> "(CASE WHEN " + e + " <> 0 THEN 't' ELSE 'f' END)";
      case INT16, INT32, INT64, UINT64 -> "CAST(" + e + " + 0 AS CHAR)";
      case FLOAT32, FLOAT64 -> floatBits(e);
      case DECIMAL -> "CAST(CAST(" + e + " AS DECIMAL(65, " + c.scale() + ")) AS CHAR)";
      case DATE -> "CAST(DATEDIFF(" + e + ", '1970-01-01') AS CHAR)";
      case TIME_MICROS ->
          "CAST((HOUR("
              + e
              + ") * 3600 + MINUTE("
              + e
              + ") * 60 + SECOND("
              + e
              + ")) * 1000000 + MICROSECOND("
              + e
              + ") AS CHAR)";
      case TIMESTAMP_MICROS, TIMESTAMPTZ_MICROS ->
          "CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + e + ") AS CHAR)";
      case STRING, JSON -> "MD5(CONVERT(CAST(" + e + " AS CHAR) USING utf8mb4))";
      case BYTES -> "MD5(" + e + ")";
      case UUID -> "LOWER(CAST(" + e + " AS CHAR))";
      case LIST ->
          throw new RivetException(
              ErrorCode.NOT_SUPPORTED_YET,
              "column " + c.name() + ": MySQL has no list columns to checksum");
    };
  }

  /**
   * The IEEE-754 bits of a double, as 16 hex digits: sign, biased exponent and mantissa computed
   * from {@code |e| / 2^exponent} (exact), subnormals from {@code |e| / 2^-1074}.
   */
  private static String floatBits(String e) {
    String a = "ABS(" + e + ")";
    String e0 = "GREATEST(LEAST(FLOOR(LOG2(" + a + ")), 1023), -1022)";
    String exp =
        "("
            + e0
            + " + CASE WHEN "
            + a
            + " / POW(2, "
            + e0
            + ") >= 2 THEN 1 WHEN "
            + a
            + " / POW(2, "
            + e0
            + ") < 1 THEN -1 ELSE 0 END)";
    String normal =
        "(CAST("
            + exp
            + " AS DECIMAL(20, 0)) + 1023) * 4503599627370496 + CAST(("
            + a
            + " / POW(2, "
            + exp
            + ") - 1) * 4503599627370496 AS DECIMAL(20, 0))";
    String subnormal = "CAST(" + a + " / POW(2, -1074) AS DECIMAL(20, 0))";
    String bits =
        "(CASE WHEN "
            + e
            + " < 0 THEN 9223372036854775808 ELSE 0 END + CASE WHEN "
            + a
            + " < POW(2, -1022) THEN "
            + subnormal
            + " ELSE "
            + normal
            + " END)";
    return "(CASE WHEN "
        + e
        + " = 0 THEN '0000000000000000' ELSE LOWER(LPAD(CONV(CAST("
        + bits
        + " AS CHAR), 10, 16), 16, '0')) END)";
  }

  @Override
  public String rowHash(String rowText) {
    return "CAST(CONV(SUBSTRING(MD5(" + rowText + "), 1, 16), 16, 10) AS DECIMAL(20, 0))";
  }

  @Override
  public String concat(List<String> parts) {
    return "CONCAT(" + String.join(", ", parts) + ")";
  }
}
