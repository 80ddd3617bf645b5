package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality gates (exit 3), schema drift policies (exit 4), max_file_size, time_window, skip_empty
 * and retries.
 */
class ExportSemanticsIT {
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE q (id bigint PRIMARY KEY, email text, note text, at timestamptz)",
        "INSERT INTO q SELECT g, 'user' || (g % 900) || '@x', CASE WHEN g % 4 = 0 THEN NULL ELSE 'n' END,"
            + " now() - g * interval '1 hour' FROM generate_series(1, 1000) g",
        "CREATE TABLE big (id bigint PRIMARY KEY, payload text)",
        "INSERT INTO big SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) FROM generate_series(1, 60000) g",
        "CREATE TABLE nothing (id integer PRIMARY KEY)");
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
            format: parquet
            destination: {type: local, path: ./%s}
        """
            .formatted(pg.jdbcUrl(), name, export.indent(4).strip(), name));
    return CliRun.of("run", "-c", yaml.toString());
  }

  @Test
  void qualityGatesFailWithExitThreeNamingTheCheck() throws Exception {
    CliRun failed =
        run(
            "qfail",
            """
        table: q
        quality: {row_count_min: 1, row_count_max: 5000, null_ratio_max: {note: 0.1, email: 0.0}, unique_columns: [id, email]}""");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.err())
        .contains("[DATA_INTEGRITY]")
        .contains("quality check failed")
        .contains("null_ratio_max.note: 0.2500 of 1000 rows are NULL > 0.1")
        .contains("unique_columns.email: 100 duplicate value(s)")
        .doesNotContain("unique_columns.id")
        .doesNotContain("null_ratio_max.email")
        .contains("no manifest.json or _SUCCESS was written")
        .contains("/qfail/_quarantine/qfail_");
    assertThat(dir.resolve("qfail/_SUCCESS")).doesNotExist();
    // Readers of the directory see none of the failed run's rows: its parts are under
    // _quarantine/<run_id>/.
    try (var visible = Files.list(dir.resolve("qfail"))) {
      assertThat(visible.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".parquet"));
    }
    CliRun passed =
        run(
            "qpass",
            """
        table: q
        quality: {row_count_min: 1000, null_ratio_max: {note: 0.25}, unique_columns: [id], unique_max_entries: 5000}""");
    assertThat(passed.exitCode()).as(passed.err()).isZero();
    CliRun tooFew = run("qmin", "table: nothing\nquality: {row_count_min: 1}");
    assertThat(tooFew.exitCode()).isEqualTo(3);
    assertThat(tooFew.err()).contains("row_count_min: 0 rows < 1");
  }

  @Test
  void qualityAndPartitionColumnsThatDoNotExistFailAtPlanTimeBeforeAnyRow() throws Exception {
    CliRun quality =
        run(
            "qnames",
            """
        table: q
        quality: {null_ratio_max: {emial: 0.1}, unique_columns: [id, nope]}""");
    assertThat(quality.exitCode()).isEqualTo(1);
    assertThat(quality.err())
        .contains("[CONFIG_INVALID]")
        .contains("exports[qnames].quality.null_ratio_max.emial")
        .contains("quality.unique_columns: 'nope'")
        .contains("its columns are [id, email, note, at]")
        .contains("nothing was read or written");
    assertThat(dir.resolve("qnames")).doesNotExist();
    Path yaml = dir.resolve("pnames.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: pnames, table: q, partition_by: when_at, format: parquet,
             destination: {type: local, path: "./pnames/{partition}"}}
        """
            .formatted(pg.jdbcUrl()));
    CliRun partition = CliRun.of("run", "-c", yaml.toString());
    assertThat(partition.exitCode()).as(partition.err()).isEqualTo(1);
    assertThat(partition.err())
        .contains("exports[pnames].partition_by: 'when_at' is not a column of the query")
        .contains("Nothing was read or written");
  }

  @Test
  void schemaDriftFailsWithExitFourBeforeAnyChunkAndWarnAcceptsTheNewSchema() throws Exception {
    pg.execute(
        "CREATE TABLE drift (id integer PRIMARY KEY, a text)", "INSERT INTO drift VALUES (1, 'x')");
    assertThat(run("drift", "table: drift\non_schema_drift: fail").exitCode()).isZero();
    pg.execute(
        "ALTER TABLE drift ADD COLUMN b integer",
        "ALTER TABLE drift ALTER COLUMN a TYPE varchar(10)");
    CliRun failed = run("drift", "table: drift\non_schema_drift: fail");
    assertThat(failed.exitCode()).isEqualTo(4);
    assertThat(failed.err())
        .contains("[SCHEMA_DRIFT]")
        .contains("added [b int32]")
        .contains("nothing written, baseline kept");
    assertThat(run("drift", "table: drift\non_schema_drift: fail").exitCode())
        .as("the baseline was kept")
        .isEqualTo(4);
    assertThat(run("drift", "table: drift\non_schema_drift: warn").exitCode()).isZero();
    assertThat(run("drift", "table: drift\non_schema_drift: fail").exitCode())
        .as("warn stored the new baseline")
        .isZero();
  }

  @Test
  void maxFileSizeCutsPartsWithoutSplittingOrLosingRows() throws Exception {
    CliRun r =
        run(
            "big",
            """
        table: big
        mode: chunked
        chunk_size: 30000
        max_file_size: 1MB""");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Manifest m = Manifest.parse(Files.readAllBytes(dir.resolve("big/manifest.json")));
    assertThat(m.partCount()).isGreaterThan(2);
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + dir.resolve("big")
                        + "/*.parquet')")
                .get(0))
        .containsExactly(60000L, 60000L);
    CliRun whole = run("bigwhole", "table: big\nmax_file_size: 1MB");
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    Manifest w = Manifest.parse(Files.readAllBytes(dir.resolve("bigwhole/manifest.json")));
    assertThat(w.parts()).extracting(Manifest.Part::path).anyMatch(p -> p.contains("_all_part2"));
    assertThat(w.rowCount()).isEqualTo(60000);
  }

  @Test
  void timeWindowExportsTheLastDaysAndSkipEmptyMarksNothingToDo() throws Exception {
    CliRun r = run("tw", "table: q\nmode: time_window\ntime_column: at\ndays_window: 3");
    assertThat(r.exitCode()).as(r.err()).isZero();
    long n =
        (Long)
            DuckDb.rows("SELECT count(*) FROM read_parquet('" + dir.resolve("tw") + "/*.parquet')")
                .get(0)
                .get(0);
    long expected;
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM q WHERE at >= ((now() AT TIME ZONE 'UTC')::date - 3)::timestamp"
                    + " AT TIME ZONE 'UTC'")) {
      rs.next();
      expected = rs.getLong(1);
    }
    assertThat(n).isEqualTo(expected).isBetween(48L, 97L);
  }

  @Test
  void aDroppedConnectionIsRetriedAndTheRunCompletes() throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    Thread killer =
        new Thread(
            () -> {
              try (Connection c = pg.connect();
                  Statement st = c.createStatement()) {
                for (int i = 0; i < 600 && !killed.get(); i++) {
                  try (ResultSet rs =
                      st.executeQuery(
                          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              + " WHERE application_name = 'rivet' AND query LIKE '%_rivet.\"id\" >= %'")) {
                    killed.set(rs.next());
                  }
                  Thread.sleep(20);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    killer.start();
    CliRun r =
        run(
            "retry",
            """
        table: big
        mode: chunked
        chunk_size: 20000
        tuning: {batch_size: 2000, throttle_ms: 40, retry_backoff_ms: 100, max_retries: 3}""");
    killer.join();
    assertThat(killed).as("the test terminated a rivet backend mid-chunk").isTrue();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + dir.resolve("retry")
                        + "/*.parquet')")
                .get(0))
        .containsExactly(60000L, 60000L);
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM journal WHERE export_name = 'retry' AND event = 'RetryAttempted'")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void partitionByMonthWritesOneChildExportPerMonthAndOneForNulls() throws Exception {
    pg.execute(
        "CREATE TABLE sales (id bigint PRIMARY KEY, day date, amount numeric(8,2))",
        "INSERT INTO sales SELECT g, CASE WHEN g % 50 = 0 THEN NULL ELSE date '2024-01-01' + (g % 90) END, g / 10.0"
            + " FROM generate_series(1, 2000) g");
    Path yaml = dir.resolve("parts.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: sales
            table: sales
            mode: chunked
            chunk_size: 500
            partition_by: day
            partition_granularity: month
            format: parquet
            destination: {type: local, path: "./parts/{partition}"}
        """
            .formatted(pg.jdbcUrl()));
    CliRun r = CliRun.of("run", "-c", yaml.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path parts = dir.resolve("parts");
    try (var s = Files.list(parts)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted())
          .containsExactly(
              "day=2024-01", "day=2024-02", "day=2024-03", "day=__HIVE_DEFAULT_PARTITION__");
    }
    for (String child :
        new String[] {
          "day=2024-01", "day=2024-02", "day=2024-03", "day=__HIVE_DEFAULT_PARTITION__"
        }) {
      assertThat(parts.resolve(child).resolve("_SUCCESS")).exists();
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + parts
                        + "/*/*.parquet')")
                .get(0))
        .containsExactly(2000L, 2000L);
    assertThat(
            DuckDb.rows(
                    "SELECT count(*) FROM read_parquet('"
                        + parts
                        + "/day=2024-02/*.parquet', hive_partitioning = false)"
                        + " WHERE day < DATE '2024-02-01' OR day >= DATE '2024-03-01'")
                .get(0)
                .get(0))
        .isEqualTo(0L);
    assertThat(
            DuckDb.rows(
                    "SELECT count(*) FROM read_parquet('"
                        + parts
                        + "/day=__HIVE_DEFAULT_PARTITION__/*.parquet')")
                .get(0)
                .get(0))
        .isEqualTo(40L);
  }

  @Test
  void rowHashChangesExactlyForChangedRows() throws Exception {
    pg.execute(
        "CREATE TABLE h (id integer PRIMARY KEY, a text, b text)",
        "INSERT INTO h SELECT g, 'a' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'b' END FROM generate_series(1, 300) g");
    assertThat(run("h1", "table: h\nmeta_columns: {row_hash: true, exported_at: true}").exitCode())
        .isZero();
    pg.execute(
        "UPDATE h SET b = 'changed' WHERE id = 7", "UPDATE h SET a = 'a7', b = NULL WHERE id = 8");
    assertThat(run("h2", "table: h\nmeta_columns: {row_hash: true}").exitCode()).isZero();
    String one = "read_parquet('" + dir.resolve("h1") + "/*.parquet')";
    String two = "read_parquet('" + dir.resolve("h2") + "/*.parquet')";
    assertThat(
            DuckDb.rows(
                    "SELECT typeof(_rivet_row_hash), count(DISTINCT _rivet_row_hash), count(_rivet_row_hash) FROM "
                        + one
                        + " GROUP BY 1")
                .get(0))
        .containsExactly("BIGINT", 300L, 300L);
    assertThat(
            DuckDb.rows(
                "SELECT x.id FROM "
                    + one
                    + " x JOIN "
                    + two
                    + " y USING (id)"
                    + " WHERE x._rivet_row_hash <> y._rivet_row_hash ORDER BY 1"))
        .containsExactly(List.of(7), List.of(8));
  }

  @Test
  void shapeDriftWarnsWhenATextColumnGrowsPastTheFactor() throws Exception {
    pg.execute(
        "CREATE TABLE shape (id integer PRIMARY KEY, note text)",
        "INSERT INTO shape SELECT g, repeat('x', 10) FROM generate_series(1, 50) g");
    assertThat(run("shape", "table: shape").exitCode()).isZero();
    pg.execute("UPDATE shape SET note = repeat('y', 15) WHERE id = 1");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(run("shape", "table: shape").exitCode()).isZero();
      pg.execute("UPDATE shape SET note = repeat('z', 40) WHERE id = 2");
      assertThat(run("shape", "table: shape").exitCode()).isZero();
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .doesNotContain("grew from 10 to 15")
        .contains(
            "shape drift: column note: longest value grew from 15 to 40 bytes (more than 2.0x)");
  }
}
