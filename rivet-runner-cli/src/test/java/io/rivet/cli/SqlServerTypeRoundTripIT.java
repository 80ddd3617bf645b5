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
    db.execute(HostileShowcase.SQLSERVER);
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
