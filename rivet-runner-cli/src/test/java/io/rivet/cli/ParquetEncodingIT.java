package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionaries where they pay: a column of distinct values is written plain once a part has shown the dictionary
 * does not pay, a low-cardinality one keeps its dictionary in every part, and the values read back by DuckDB are
 * those of the source, whichever encoding the part used.
 */
class ParquetEncodingIT {
  @TempDir
  Path dir;

  @Test
  void distinctColumnsGoPlainAfterTheFirstPartAndLowCardinalityKeepsItsDictionary() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      // code: distinct in the first chunk, three values after it — a column the first part judges.
      pg.execute("CREATE TABLE t (id bigint PRIMARY KEY, ts timestamptz, amount numeric(12,2), status text, code bigint)",
          "INSERT INTO t SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', g / 100.0,"
              + " (ARRAY['new','paid','shipped'])[1 + g % 3], CASE WHEN g <= 25000 THEN g ELSE g % 3 END"
              + " FROM generate_series(1, 200000) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(yaml, """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: encodings, table: t, mode: chunked, chunk_size: 25000, format: parquet, destination: {type: local, path: ./out}}
          """.formatted(pg.jdbcUrl()));
      CliRun run = CliRun.of("run", "-c", yaml.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      String glob = dir.resolve("out") + "/*.parquet";
      // Per file and column: does any of its chunks use a dictionary?
      List<List<Object>> encodings = DuckDb.rows("SELECT path_in_schema, count(*) FILTER (WHERE encodings LIKE '%DICTIONARY%'),"
          + " count(DISTINCT file_name) FROM parquet_metadata('" + glob + "') GROUP BY 1 ORDER BY 1");
      assertThat(encodings).containsExactly(
          List.of("amount", 0L, 8L),   // distinct everywhere: the first part falls back, the rest are plain
          List.of("code", 0L, 8L),     // the first part fell back, so the later parts (three values) never tried
          List.of("id", 0L, 8L),       // the integer chunk key never tries
          List.of("status", 8L, 8L),   // three values: a dictionary in every part
          List.of("ts", 0L, 8L));
      assertThat(DuckDb.rows("SELECT count(*), count(DISTINCT id), sum(amount), min(ts) = TIMESTAMPTZ '2024-01-01 00:00:01+00',"
          + " max(ts) = TIMESTAMPTZ '2024-01-03 07:33:20+00', count(*) FILTER (WHERE status = 'paid'), sum(code)::BIGINT FROM read_parquet('" + glob + "')").get(0))
          .containsExactly(200000L, 200000L, new java.math.BigDecimal("200001000.00"), true, true, 66667L,
              sourceSum(pg));
    }
  }

  private static long sourceSum(TestingPostgresServer pg) throws Exception {
    try (var c = pg.connect(); var rs = c.createStatement().executeQuery("SELECT sum(code) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
