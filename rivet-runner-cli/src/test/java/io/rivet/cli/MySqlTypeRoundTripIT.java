package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MySQL/MariaDB through mysql-connector-j: every supported type, unsigned limits, zero dates. */
class MySqlTypeRoundTripIT extends AbstractTypeRoundTripIT {
  private static TestingMariaDbServer db;

  @BeforeAll
  static void start() throws Exception {
    db = new TestingMariaDbServer();
    db.execute(
        """
        CREATE TABLE types (
          id INT PRIMARY KEY,
          c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_bool TINYINT(1), c_bit1 BIT(1), c_bit10 BIT(10),
          c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED, c_mediumint MEDIUMINT, c_int INT, c_int_u INT UNSIGNED,
          c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_float FLOAT, c_double DOUBLE,
          c_decimal DECIMAL(38,10), c_dec_small DECIMAL(5,2),
          c_date DATE, c_datetime DATETIME(6), c_ts TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME(6), c_year YEAR,
          c_char CHAR(3), c_varchar VARCHAR(50), c_text TEXT, c_enum ENUM('sad','ok','happy'), c_set SET('a','b','c'),
          c_json JSON, c_binary BINARY(4), c_varbinary VARBINARY(20), c_blob BLOB)""",
        "SET SESSION time_zone = '+00:00'",
        "SET SESSION sql_mode = ''",
        """
        INSERT INTO types VALUES
        (1, -128, 0, 0, b'0', b'0000000000', -32768, 0, -8388608, -2147483648, 0, -9223372036854775808, 0,
         -3.40282e38, -1.7976931348623157e308, -9999999999999999999999999999.9999999999, -999.99,
         '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '00:00:00', 1901,
         '', '', '', 'sad', '', '{}', 0x00000000, X'', X''),
        (2, 127, 255, 1, b'1', b'1111111111', 32767, 65535, 8388607, 2147483647, 4294967295, 9223372036854775807,
         18446744073709551615, 3.40282e38, 1.7976931348623157e308, 9999999999999999999999999999.9999999999, 999.99,
         '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '23:59:59.999999', 2155,
         'abc', 'héllo wörld ✓ 日本語 🎉', REPEAT('long ', 3000), 'happy', 'a,c', '{"a": [1, 2, {"b": null}]}',
         0xDEADBEEF, 0x00FF, 0xDEADBEEF00FF),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (4, 1, 1, 0, b'1', b'0000000001', 1, 1, 1, 1, 1, 1, 1, 1.5, 0.1, 0.0000000001, 0.01,
         '0000-00-00', '0000-00-00 00:00:00', '2021-03-28 01:30:00.123456', '12:34:56.123456', 2024,
         'a', 'line1\\nline2 "q", c', 'tab\\there', 'ok', 'b', '"just a string"', 0x01020304, 0xFF, 0x00),
        (5, 0, 0, 1, b'0', b'0000000000', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         '2024-02-29', '2021-03-14 02:30:00.000001', '2000-01-01 00:00:00', '00:00:00.000001', 2000,
         'ß', 'ä', '🎉', 'sad', 'a,b,c', '[1, 2, 3]', 0x00000000, 0x00, 0x00)""");
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Override
  protected TestingServer server() {
    return db;
  }

  @Override
  protected String table() {
    return "types";
  }

  @Override
  protected List<String> sourceSession() {
    return List.of("SET SESSION time_zone = '+00:00'");
  }

  @Override
  protected Map<String, String[]> comparisons() {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (String c :
        List.of(
            "c_tinyint",
            "c_tinyint_u",
            "c_smallint",
            "c_smallint_u",
            "c_mediumint",
            "c_int",
            "c_int_u",
            "c_bigint",
            "c_bigint_u",
            "c_decimal",
            "c_dec_small",
            "c_year")) {
      m.put(c, new String[] {"CAST(" + c + " AS CHAR)", "CAST(" + c + " AS VARCHAR)"});
    }
    for (String c : List.of("c_bool", "c_bit1")) {
      m.put(
          c,
          new String[] {
            "CASE WHEN "
                + c
                + " IS NULL THEN NULL WHEN "
                + c
                + " <> 0 THEN 'true' ELSE 'false' END",
            "CAST(" + c + " AS VARCHAR)"
          });
    }
    m.put("c_bit10", new String[] {"CAST(c_bit10 + 0 AS CHAR)", "CAST(c_bit10 AS VARCHAR)"});
    m.put("c_float", new String[] {"c_float", "c_float"});
    m.put("c_double", new String[] {"c_double", "c_double"});
    m.put(
        "c_date",
        new String[] {
          "CAST(DATEDIFF(c_date, '1970-01-01') AS CHAR)",
          "CAST(date_diff('day', DATE '1970-01-01', c_date) AS VARCHAR)"
        });
    for (String c : List.of("c_datetime", "c_ts")) {
      m.put(
          c,
          new String[] {
            "CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + c + ") AS CHAR)",
            "CAST(epoch_us(" + c + ") AS VARCHAR)"
          });
    }
    m.put(
        "c_time",
        new String[] {
          "CAST(HOUR(c_time) * 3600000000 + MINUTE(c_time) * 60000000 + SECOND(c_time) * 1000000 + MICROSECOND(c_time) AS CHAR)",
          "CAST(extract('hour' FROM c_time) * 3600000000 + extract('minute' FROM c_time) * 60000000"
              + " + extract('microsecond' FROM c_time) AS VARCHAR)"
        });
    for (String c : List.of("c_char", "c_varchar", "c_text", "c_enum", "c_set", "c_json")) {
      m.put(c, new String[] {c, "CAST(" + c + " AS VARCHAR)"});
    }
    for (String c : List.of("c_binary", "c_varbinary", "c_blob")) {
      m.put(c, new String[] {"LOWER(HEX(" + c + "))", "lower(hex(" + c + "))"});
    }
    return m;
  }

  @Override
  protected Map<String, String> duckTypes() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("c_tinyint", "SMALLINT");
    t.put("c_tinyint_u", "SMALLINT");
    t.put("c_bool", "BOOLEAN");
    t.put("c_bit1", "BOOLEAN");
    t.put("c_bit10", "BIGINT");
    t.put("c_smallint_u", "INTEGER");
    t.put("c_mediumint", "INTEGER");
    t.put("c_int_u", "BIGINT");
    t.put("c_bigint_u", "UBIGINT");
    t.put("c_float", "FLOAT");
    t.put("c_double", "DOUBLE");
    t.put("c_decimal", "DECIMAL(38,10)");
    t.put("c_dec_small", "DECIMAL(5,2)");
    t.put("c_date", "DATE");
    t.put("c_datetime", "TIMESTAMP");
    t.put("c_ts", "TIMESTAMP WITH TIME ZONE");
    t.put("c_time", "TIME");
    t.put("c_year", "SMALLINT");
    t.put("c_enum", "VARCHAR");
    t.put("c_blob", "BLOB");
    return t;
  }

  @Test
  void zeroDatesBecomeNullWithAWarningCountingThem() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Path out;
    try {
      out = exportTypes();
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("1 zero date(s) (0000-00-00) in column c_date written as NULL")
        .contains("1 zero date(s) (0000-00-00) in column c_datetime written as NULL");
    assertThat(
            DuckDb.rows(
                "SELECT c_date, c_datetime FROM read_parquet('"
                    + out
                    + "/*.parquet') WHERE id = 4"))
        .containsExactly(Arrays.asList(null, null));
  }
}
