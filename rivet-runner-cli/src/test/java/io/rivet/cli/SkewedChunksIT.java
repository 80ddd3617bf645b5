package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A skewed table: sparse keys everywhere and a dense cluster inside one key-range chunk, which so
 * holds most of the rows. The engine's statistics show it; the chunk is cut into restrictions of
 * about an average chunk's rows, read by several workers at once — on the DirectRunner and on Flink
 * — each committed as its own part, every row exactly once.
 */
class SkewedChunksIT {
  private static final int SPARSE = 10_000; // every 400th key of [0, 4M)
  private static final int CLUSTER = 80_000; // every key of [1.3M, 1.38M)
  private static TestingPostgresServer pg;
  private static TestingMariaDbServer maria;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g * 400, md5(g::text) FROM generate_series(0, "
            + (SPARSE - 1)
            + ") g",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1300001, "
            + (1300000 + CLUSTER)
            + ") g WHERE g % 400 <> 0",
        "ANALYZE t");
    maria = new TestingMariaDbServer();
    try (Connection c = maria.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
      st.execute("INSERT INTO t SELECT seq * 400, md5(seq) FROM seq_0_to_" + (SPARSE - 1));
      st.execute(
          "INSERT INTO t SELECT seq, md5(seq) FROM seq_1300001_to_"
              + (1300000 + CLUSTER)
              + " WHERE seq % 400 <> 0");
      st.execute("ANALYZE TABLE t");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
    maria.close();
  }

  /** MariaDB's estimates come from index dives on the primary key. */
  @org.junit.jupiter.api.Test
  void onMariaDbTheHotChunkIsReadAsSeveralRestrictionsAtOnce() throws Exception {
    exportAndCheck(maria, "DirectRunner");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void theHotChunkIsReadAsSeveralRestrictionsAtOnce(String runner) throws Exception {
    exportAndCheck(pg, runner);
  }

  private void exportAndCheck(TestingServer server, String runner) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - {name: t, table: t, mode: chunked, chunk_column: id, chunk_size: 1000000, parallel: 4,
             format: parquet, tuning: {batch_size: 1000, throttle_ms: 30},
             destination: {type: local, path: ./out}}
        """
            .formatted(server.sourceType(), server.jdbcUrl()));
    List<String> args = new ArrayList<>(List.of("run", "-c", yaml.toString()));
    if (runner.equals("FlinkRunner")) {
      args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=4"));
    }
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();

    long rows;
    try (Connection c = server.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      rows = rs.getLong(1);
    }
    Path out = dir.resolve("out");
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly(rows, rows);

    try (Connection state =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"));
        Statement st = state.createStatement()) {
      HotChunkEvidence.assertReadAtOnce(st, "");
    }
  }
}
