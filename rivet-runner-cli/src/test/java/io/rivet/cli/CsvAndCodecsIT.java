package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CSV parts read back by DuckDB value by value; every Parquet codec and profile; row-group
 * strategies.
 */
class CsvAndCodecsIT {
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    try (Connection c = pg.connect()) {
      DemoDatabase.load(c, 20_000);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private CliRun run(String name, String export) throws Exception {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: %s
            %s
            destination: {type: local, path: ./%s}
        """
            .formatted(pg.jdbcUrl(), name, export.indent(4).strip(), name));
    return CliRun.of("run", "-c", yaml.toString());
  }

  /** Per column: PostgreSQL's rendering in Rivet's CSV conventions. */
  private static final List<String[]> CSV_COLUMNS =
      List.of(
          new String[] {"c_smallint", "c_smallint::text"},
          new String[] {"c_bigint", "c_bigint::text"},
          new String[] {"c_numeric", "c_numeric::text"},
          new String[] {"c_bool", "c_bool::text"},
          new String[] {"c_text", "c_text"},
          new String[] {"c_varchar", "c_varchar"},
          new String[] {"c_bytea", "encode(c_bytea, 'hex')"},
          new String[] {"c_date", "c_date::text"},
          new String[] {
            "c_time",
            "CASE WHEN c_time = time '24:00:00' THEN '24:00:00.000000'"
                + " ELSE to_char(date '2000-01-01' + c_time, 'HH24:MI:SS.US') END"
          },
          new String[] {"c_ts", "to_char(c_ts, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"},
          new String[] {
            "c_tstz", "to_char(c_tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
          },
          new String[] {"c_uuid", "c_uuid::text"},
          new String[] {"c_json", "c_json::text"},
          new String[] {
            "c_double",
            "CASE WHEN c_double = 'Infinity' THEN 'inf' WHEN c_double = '-Infinity' THEN '-inf'"
                + " WHEN c_double = 'NaN' THEN 'NaN' ELSE NULL END"
          });

  @Test
  void csvCarriesEveryValueExactlyAndTellsNullFromEmpty() throws Exception {
    CliRun r =
        run(
            "csv",
            "query: \"SELECT id, c_smallint, c_bigint, c_numeric, c_bool, c_text, c_varchar, c_bytea, c_date,"
                + " c_time, c_ts, c_tstz, c_uuid, c_json, c_double FROM demo.type_showcase\"\nformat: csv");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String file = dir.resolve("csv") + "/*.csv";
    List<List<Object>> expected = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      ResultSet rs =
          st.executeQuery(
              "SELECT "
                  + String.join(", ", CSV_COLUMNS.stream().map(x -> x[1]).toList())
                  + " FROM demo.type_showcase ORDER BY id");
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= CSV_COLUMNS.size(); i++) {
          row.add(rs.getString(i));
        }
        expected.add(row);
      }
    }
    String select =
        String.join(
            ", ",
            CSV_COLUMNS.stream()
                .map(
                    x ->
                        x[0].equals("c_double")
                            ? "CASE WHEN c_double IN ('inf', '-inf', 'NaN') THEN c_double END"
                            : x[0])
                .toList());
    List<List<Object>> actual =
        DuckDb.rows(
            "SELECT "
                + select
                + " FROM read_csv('"
                + file
                + "', header = true, all_varchar = true, allow_quoted_nulls = false) ORDER BY CAST(id AS INTEGER)");
    assertThat(actual).hasSize(expected.size());
    for (int row = 0; row < expected.size(); row++) {
      for (int col = 0; col < CSV_COLUMNS.size(); col++) {
        assertThat(actual.get(row).get(col))
            .as("row %d column %s", row + 1, CSV_COLUMNS.get(col)[0])
            .isEqualTo(expected.get(row).get(col));
      }
    }
    assertThat(
            DuckDb.rows(
                "SELECT c_text IS NULL, c_text = '' FROM read_csv('"
                    + file
                    + "', header = true, allow_quoted_nulls = false,"
                    + " all_varchar = true) WHERE id IN ('1', '5') ORDER BY id"))
        .containsExactly(Arrays.asList(false, true), Arrays.asList(true, null));
  }

  @Test
  void csvRefusesListsAndCodecs() throws Exception {
    CliRun lists = run("csvlist", "table: demo.type_showcase\nformat: csv");
    assertThat(lists.exitCode()).isEqualTo(1);
    assertThat(lists.err())
        .contains("CSV cannot carry list column(s) [c_int_arr (_int4), c_text_arr (_text)]");
    CliRun codec = run("csvzstd", "table: demo.orders\nformat: csv\ncompression: zstd");
    assertThat(codec.exitCode()).isEqualTo(1);
    assertThat(codec.err()).contains("exports[0].compression: CSV is written uncompressed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "compression: zstd\ncompression_level: 19",
        "compression: snappy",
        "compression: gzip\ncompression_level: 9",
        "compression: lz4",
        "compression: none",
        "compression_profile: compact",
        "compression_profile: fast"
      })
  void everyParquetCodecReadsBack(String codec) throws Exception {
    CliRun r =
        run(
            "codec",
            "table: demo.orders\nmode: chunked\nchunk_size: 10000\nformat: parquet\n" + codec);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), sum(amount) FROM read_parquet('"
                        + dir.resolve("codec")
                        + "/*.parquet')")
                .get(0)
                .get(0))
        .isEqualTo(20_000L);
    String expected =
        codec.contains("lz4")
            ? "LZ4_RAW"
            : codec.contains("snappy") || codec.contains("fast")
                ? "SNAPPY"
                : codec.contains("gzip")
                    ? "GZIP"
                    : codec.contains("none") ? "UNCOMPRESSED" : "ZSTD";
    assertThat(
            DuckDb.rows(
                "SELECT DISTINCT compression FROM parquet_metadata('"
                    + dir.resolve("codec")
                    + "/*.parquet')"))
        .containsExactly(List.of(expected));
  }

  @Test
  void fixedRowsRowGroupsAreSmallerThanTheDefault() throws Exception {
    CliRun r =
        run(
            "rg",
            """
        table: demo.orders
        format: parquet
        parquet: {row_group_strategy: fixed_rows, row_group_rows: 2000}""");
    assertThat(r.exitCode()).as(r.err()).isZero();
    long groups =
        (Long)
            DuckDb.rows(
                    "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('"
                        + dir.resolve("rg")
                        + "/*.parquet')")
                .get(0)
                .get(0);
    assertThat(groups).isGreaterThan(1);
  }
}
