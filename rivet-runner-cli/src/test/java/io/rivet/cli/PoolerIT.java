package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPgBouncer;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of every chunk kind through a real pgBouncer in transaction mode with one server
 * connection, so every transaction of every rivet connection runs on the same backend in turn: the
 * run notices the pooler by itself, uses only unnamed statements and transaction-scoped settings,
 * and leaves no session state on the backend.
 */
class PoolerIT {
  private static final int ROWS = 12_000;

  @TempDir Path dir;

  @Test
  void everyChunkKindWorksThroughTransactionPoolingAndLeavesNoSessionState() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer();
        TestingPgBouncer bouncer = new TestingPgBouncer(pg.port(), "transaction", 1)) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, k bigint, code text NOT NULL UNIQUE, d date, updated bigint,"
              + " v text)",
          "INSERT INTO t SELECT g, CASE WHEN g % 97 = 0 THEN NULL ELSE g END, 'c' || lpad(g::text, 6, '0'),"
              + " date '2024-01-01' + (g % 300), g, md5(g::text) FROM generate_series(1, "
              + ROWS
              + ") g");
      String url = bouncer.jdbcUrl(pg.database());
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: range, table: t, mode: chunked, chunk_column: k, chunk_size: 1500, parallel: 2, format: parquet,
               destination: {type: local, path: "./out/{export}"}}
            - {name: range_csv, table: t, mode: chunked, chunk_size: 2500, parallel: 2, format: csv,
               destination: {type: local, path: "./out/{export}"}}
            - {name: dense, table: t, mode: chunked, chunk_column: id, chunk_dense: true, chunk_size: 3000, parallel: 2,
               format: parquet, destination: {type: local, path: "./out/{export}"}}
            - {name: days, table: t, mode: chunked, chunk_column: d, chunk_by_days: 45, parallel: 2, format: parquet,
               destination: {type: local, path: "./out/{export}"}}
            - {name: keyset, table: t, mode: chunked, chunk_by_key: code, chunk_size: 2000, parallel: 2, format: parquet,
               destination: {type: local, path: "./out/{export}"}}
            - {name: whole, query: "SELECT * FROM t", format: parquet, destination: {type: local, path: "./out/{export}"}}
            - {name: inc, table: t, mode: incremental, cursor_column: updated, format: parquet,
               destination: {type: local, path: "./out/{export}"}}
          """
              .formatted(url));
      RivetProcess run = RivetProcess.run(dir.resolve("run.log"), "run", "-c", yaml.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .contains("the source is reached through a pooler or proxy")
          .contains("this connection went to port " + bouncer.port());
      for (String export :
          List.of("range", "range_csv", "dense", "days", "keyset", "whole", "inc")) {
        String glob =
            dir.resolve("out").resolve(export)
                + (export.equals("range_csv") ? "/*.csv" : "/*.parquet");
        String reader =
            export.equals("range_csv")
                ? "read_csv('" + glob + "', header = true)"
                : "read_parquet('" + glob + "')";
        assertThat(DuckDb.rows("SELECT count(*), count(DISTINCT id) FROM " + reader).get(0))
            .as(export)
            .containsExactly((long) ROWS, (long) ROWS);
        assertThat(dir.resolve("out").resolve(export).resolve("_SUCCESS")).exists();
      }
      // The one backend every transaction ran on: nothing of rivet's is left on it.
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        for (String[] q :
            new String[][] {
              {"SHOW statement_timeout", "0"},
              {"SHOW lock_timeout", "0"},
              {"SELECT count(*) FROM pg_prepared_statements", "0"},
              // The unnamed portal of this very query is listed too: only named cursors are
              // rivet's.
              {
                "SELECT coalesce(string_agg(name || ': ' || statement, '; '), '') FROM pg_cursors WHERE name <> ''",
                ""
              },
              {"SELECT count(*) FROM pg_cursors", "1"}
            }) {
          try (ResultSet rs = st.executeQuery(q[0])) {
            rs.next();
            assertThat(rs.getString(1)).as(q[0]).isEqualTo(q[1]);
          }
        }
      }
      try (Connection c = pg.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND state LIKE 'idle in transaction%'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("no transaction left open").isZero();
      }
      // The doctor says what the run saw.
      RivetProcess doctor =
          RivetProcess.run(dir.resolve("doctor.log"), Map.of(), "doctor", "-c", yaml.toString());
      assertThat(doctor.output()).contains("through a pooler or proxy");

      // The control: forcing named server-side statements (what rivet uses on a direct connection)
      // breaks here.
      Path forced = dir.resolve("forced.yaml");
      Files.writeString(
          forced,
          """
          source: {type: postgres, url: "%s&prepareThreshold=-1"}
          exports:
            - {name: forced, table: t, mode: chunked, chunk_size: 1000, parallel: 2, format: csv,
               destination: {type: local, path: "./out/{export}"}}
          """
              .formatted(url));
      RivetProcess broken =
          RivetProcess.run(dir.resolve("forced.log"), "run", "-c", forced.toString());
      assertThat(broken.exitCode()).as(broken.output()).isNotZero();
      assertThat(broken.output())
          .containsPattern("prepared statement \"S_\\d+\" (already exists|does not exist)");
    }
  }
}
