package io.rivet.cli;

import io.rivet.core.testing.TestingServer;
import io.rivet.core.testing.TestingSqlServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * SQL Server through mssql-jdbc; runs only against a real server named by RIVET_TEST_SQLSERVER_URL
 * (none runs here).
 */
@EnabledIfEnvironmentVariable(named = TestingSqlServer.ENV, matches = ".+")
class SqlServerTypeRoundTripIT extends AbstractTypeRoundTripIT {
  private static TestingSqlServer db;

  @BeforeAll
  static void start() throws Exception {
    db = new TestingSqlServer();
    db.execute(
        """
        CREATE TABLE types (id INT PRIMARY KEY, c_tinyint TINYINT, c_smallint SMALLINT, c_int INT, c_bigint BIGINT,
          c_bit BIT, c_real REAL, c_float FLOAT, c_decimal DECIMAL(38,10), c_money MONEY, c_smallmoney SMALLMONEY,
          c_date DATE, c_time TIME(6), c_datetime2 DATETIME2(6), c_datetime DATETIME, c_smalldatetime SMALLDATETIME,
          c_dto DATETIMEOFFSET(6), c_char CHAR(3), c_varchar VARCHAR(50), c_nvarchar NVARCHAR(MAX),
          c_varbinary VARBINARY(MAX), c_uuid UNIQUEIDENTIFIER)""",
        """
        INSERT INTO types VALUES
        (1, 0, -32768, -2147483648, -9223372036854775808, 0, -3.40282e38, -1.7976931348623157e308,
         -9999999999999999999999999999.9999999999, -922337203685477.5808, -214748.3648,
         '0001-01-01', '00:00:00', '0001-01-01 00:00:00', '1753-01-01 00:00:00', '1900-01-01 00:00',
         '0001-01-01 00:00:00 +00:00', '', '', N'', 0x, '00000000-0000-0000-0000-000000000000'),
        (2, 255, 32767, 2147483647, 9223372036854775807, 1, 3.40282e38, 1.7976931348623157e308,
         9999999999999999999999999999.9999999999, 922337203685477.5807, 214748.3647,
         '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.997', '2079-06-06 23:59',
         '9999-12-31 23:59:59.999999 +00:00', 'abc', 'naive cafe', N'héllo wörld ✓ 日本語 🎉', 0xDEADBEEF00FF,
         '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL),
        (4, 1, 1, 1, 1, 1, 1.5, 0.1, 0.0000000001, 0.0001, 0.0001, '1582-10-10', '12:34:56.123456',
         '2021-03-14 02:30:00.000001', '2024-01-01 10:00:00.003', '2024-02-29 12:34',
         '2024-02-29 23:59:59.123456 -08:00', 'a', 'x', N'line1' + CHAR(10) + N'line2', 0x00, NEWID())""");
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
  protected Map<String, String[]> comparisons() {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (String c : List.of("c_tinyint", "c_smallint", "c_int", "c_bigint", "c_decimal")) {
      m.put(c, new String[] {"CAST(" + c + " AS VARCHAR(60))", "CAST(" + c + " AS VARCHAR)"});
    }
    m.put(
        "c_money",
        new String[] {
          "CAST(CAST(c_money AS DECIMAL(19,4)) AS VARCHAR(60))", "CAST(c_money AS VARCHAR)"
        });
    m.put(
        "c_smallmoney",
        new String[] {
          "CAST(CAST(c_smallmoney AS DECIMAL(10,4)) AS VARCHAR(60))",
          "CAST(c_smallmoney AS VARCHAR)"
        });
    m.put(
        "c_bit",
        new String[] {
          "CASE WHEN c_bit IS NULL THEN NULL WHEN c_bit = 1 THEN 'true' ELSE 'false' END",
          "CAST(c_bit AS VARCHAR)"
        });
    m.put("c_real", new String[] {"c_real", "c_real"});
    m.put("c_float", new String[] {"c_float", "c_float"});
    m.put(
        "c_date",
        new String[] {
          "CAST(DATEDIFF(day, '1970-01-01', c_date) AS VARCHAR(20))",
          "CAST(date_diff('day', DATE '1970-01-01', c_date) AS VARCHAR)"
        });
    for (String c : List.of("c_datetime2", "c_datetime", "c_smalldatetime", "c_dto")) {
      m.put(
          c,
          new String[] {
            "CAST(DATEDIFF_BIG(microsecond, '1970-01-01', " + c + ") AS VARCHAR(30))",
            "CAST(epoch_us(" + c + ") AS VARCHAR)"
          });
    }
    m.put(
        "c_time",
        new String[] {
          "CAST(DATEDIFF_BIG(microsecond, CAST('00:00' AS TIME(6)), c_time) AS VARCHAR(30))",
          "CAST(extract('hour' FROM c_time) * 3600000000 + extract('minute' FROM c_time) * 60000000"
              + " + extract('microsecond' FROM c_time) AS VARCHAR)"
        });
    for (String c : List.of("c_char", "c_varchar", "c_nvarchar")) {
      m.put(c, new String[] {c, c});
    }
    m.put(
        "c_varbinary",
        new String[] {"LOWER(CONVERT(VARCHAR(MAX), c_varbinary, 2))", "lower(hex(c_varbinary))"});
    m.put("c_uuid", new String[] {"LOWER(CAST(c_uuid AS VARCHAR(36)))", "CAST(c_uuid AS VARCHAR)"});
    return m;
  }

  @Override
  protected Map<String, String> duckTypes() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("c_tinyint", "SMALLINT");
    t.put("c_bit", "BOOLEAN");
    t.put("c_real", "FLOAT");
    t.put("c_float", "DOUBLE");
    t.put("c_decimal", "DECIMAL(38,10)");
    t.put("c_money", "DECIMAL(19,4)");
    t.put("c_smallmoney", "DECIMAL(10,4)");
    t.put("c_datetime2", "TIMESTAMP");
    t.put("c_datetime", "TIMESTAMP");
    t.put("c_dto", "TIMESTAMP WITH TIME ZONE");
    t.put("c_nvarchar", "VARCHAR");
    t.put("c_varbinary", "BLOB");
    t.put("c_uuid", "UUID");
    return t;
  }
}
