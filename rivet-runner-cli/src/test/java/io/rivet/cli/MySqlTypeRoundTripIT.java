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
    db.execute(HostileShowcase.MARIADB);
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
