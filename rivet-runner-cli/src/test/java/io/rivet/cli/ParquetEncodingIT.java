package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionaries where they pay: a column whose dictionary fell back in a part of an export is
 * written plain in the export's later parts, a low-cardinality column keeps its dictionary in every
 * part, and the values DuckDB reads back are the source's, whichever encoding a part used. Chunks
 * run in no fixed order, so the test learns in one run (every {@code code} distinct) and observes
 * in the next run of the same export in the same JVM (every {@code code} one of three values —
 * which would get a dictionary in all eight parts without the hint).
 */
class ParquetEncodingIT {
  @TempDir Path dir;

  @Test
  void aColumnThatFellBackIsWrittenPlainInLaterPartsAndLowCardinalityKeepsItsDictionary()
      throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      url = pg.jdbcUrl();
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, ts timestamptz, amount numeric(12,2), status text, code bigint)",
          "INSERT INTO t SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', g / 100.0,"
              + " (ARRAY['new','paid','shipped'])[1 + g % 3], g FROM generate_series(1, 200000) g");
      String first = run("first");
      assertThat(dictionaryParts(first))
          .containsExactly(
              List.of(
                  "amount", 0L,
                  8L), // distinct: each part tries, falls back at its first page, ends plain
              List.of("code", 0L, 8L),
              List.of("id", 0L, 8L), // the integer chunk key never tries
              List.of("status", 8L, 8L), // three values: a dictionary in every part
              List.of("ts", 0L, 8L));

      pg.execute("UPDATE t SET code = id % 3");
      String second = run("second");
      assertThat(dictionaryParts(second))
          .contains(
              List.of(
                  "code", 0L,
                  8L), // three values now, but the export learned the column does not pay
              List.of("status", 8L, 8L));
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), count(DISTINCT id), sum(amount), min(ts) = TIMESTAMPTZ '2024-01-01 00:00:01+00',"
                          + " max(ts) = TIMESTAMPTZ '2024-01-03 07:33:20+00', count(*) FILTER (WHERE status = 'paid'), sum(code)::BIGINT"
                          + " FROM read_parquet('"
                          + second
                          + "')")
                  .get(0))
          .containsExactly(
              200000L, 200000L, new BigDecimal("200001000.00"), true, true, 66667L, sourceSum(pg));
    }
  }

  /**
   * Runs the export "encodings" (same name, same state store) into ./{@code out}; returns its
   * Parquet glob.
   */
  private String run(String out) throws Exception {
    Path yaml = dir.resolve(out + ".yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: encodings, table: t, mode: chunked, chunk_size: 25000, format: parquet, destination: {type: local, path: ./%s}}
        """
            .formatted(url, out));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(out) + "/*.parquet";
  }

  private String url;

  /** Per column: how many files use a dictionary for it, and how many files there are. */
  private static List<List<Object>> dictionaryParts(String glob) throws Exception {
    return DuckDb.rows(
        "SELECT path_in_schema, count(*) FILTER (WHERE encodings LIKE '%DICTIONARY%'),"
            + " count(DISTINCT file_name) FROM parquet_metadata('"
            + glob
            + "') GROUP BY 1 ORDER BY 1");
  }

  private static long sourceSum(TestingPostgresServer pg) throws Exception {
    try (var c = pg.connect();
        var rs = c.createStatement().executeQuery("SELECT sum(code) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
