package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MySqlChunkingIT extends AbstractChunkingIT {
  private static TestingMariaDbServer db;

  @BeforeAll
  static void start() throws Exception {
    db = new TestingMariaDbServer();
    load(
        db,
        "CREATE TABLE chunky (id BIGINT PRIMARY KEY, k INT NULL, code VARCHAR(20) NOT NULL UNIQUE,"
            + " u CHAR(36) NOT NULL UNIQUE, day DATE NULL, v TEXT)",
        List.of("ANALYZE TABLE chunky"),
        (ps, i, u) -> ps.setString(i, u.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Override
  protected TestingServer server() {
    return db;
  }

  /**
   * Runs one export of {@code table} with {@code chunking} while the general log is on, and returns
   * the matches of {@code statement} in the statements the server received for that table, in
   * order.
   */
  private static List<Matcher> loggedRun(Path tmp, String table, String chunking, Pattern statement)
      throws Exception {
    db.execute(
        "SET GLOBAL log_output = 'TABLE'",
        "TRUNCATE mysql.general_log",
        "SET GLOBAL general_log = 1");
    Path yaml = tmp.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: mysql, url: "%s"}
        exports:
          - {name: %s, table: %s, mode: chunked, %s, format: parquet, destination: {type: local, path: ./out}}
        """
            .formatted(db.jdbcUrl(), table, table, chunking));
    CliRun run;
    try {
      run = CliRun.of("run", "-c", yaml.toString());
    } finally {
      db.execute("SET GLOBAL general_log = 0");
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Matcher> found = new ArrayList<>();
    try (Connection c = db.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log WHERE command_type = 'Query'"
                        + " AND argument LIKE '%FROM `"
                        + table
                        + "`) AS _rivet%' ORDER BY event_time")) {
      while (rs.next()) {
        Matcher m = statement.matcher(rs.getString(1));
        if (m.find()) { // the planner's probes (NULL keys, bounds, the schema) are not reads
          found.add(m);
        }
      }
    }
    return found;
  }

  /**
   * Row streaming keeps a MySQL statement open for as long as the client reads: a chunk is read as
   * consecutive key sub-ranges sized to about half a second each, into one part. The general log
   * shows the statements; their ranges must tile the chunk exactly, and DuckDB must find every row
   * once.
   */
  @Test
  void aRangeChunkIsReadAsShortConsecutiveStatements(@TempDir Path tmp) throws Exception {
    db.execute(
        "CREATE TABLE sliced (id BIGINT PRIMARY KEY, body TEXT)",
        "INSERT INTO sliced SELECT seq, REPEAT(MD5(seq), 64) FROM seq_1_to_20000");
    List<long[]> ranges = new ArrayList<>();
    for (Matcher m :
        loggedRun(
            tmp,
            "sliced",
            "chunk_size: 20000",
            Pattern.compile("`id` >= (\\d+) AND _rivet\\.`id` < (\\d+)"))) {
      ranges.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    assertThat(ranges).as("statements for one chunk").hasSizeGreaterThan(1);
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    assertThat(ranges.get(0)[0]).isEqualTo(1);
    assertThat(ranges.get(ranges.size() - 1)[1]).isEqualTo(20001);
    for (int i = 1; i < ranges.size(); i++) {
      assertThat(ranges.get(i)[0]).as("contiguous").isEqualTo(ranges.get(i - 1)[1]);
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), min(length(body)), count(DISTINCT filename) FROM read_parquet('"
                        + tmp.resolve("out")
                        + "/*.parquet', filename = true)")
                .get(0))
        .containsExactly(20000L, 20000L, 2048L, 1L);
  }

  /**
   * A keyset page is read like a range chunk: consecutive statements, each continuing after the
   * last key the one before read ({@code > 'k…' … LIMIT n}), all into the page's one part — so no
   * statement stays open for the whole page while the client streams it.
   */
  @Test
  void aKeysetPageIsReadAsShortConsecutiveStatements(@TempDir Path tmp) throws Exception {
    db.execute(
        "CREATE TABLE paged (code VARCHAR(20) NOT NULL PRIMARY KEY, body TEXT)",
        "INSERT INTO paged SELECT CONCAT('k', LPAD(seq, 6, '0')), REPEAT(MD5(seq), 64) FROM seq_1_to_20000");
    List<Matcher> statements =
        loggedRun(
            tmp,
            "paged",
            "chunk_by_key: code, chunk_size: 20000",
            Pattern.compile(
                "FROM `paged`\\) AS _rivet (?:WHERE _rivet\\.`code` > '(k\\d+)' )?ORDER BY _rivet\\.`code` LIMIT (\\d+)"));
    assertThat(statements).as("statements for one page").hasSizeGreaterThan(1);
    assertThat(statements.get(0).group(1)).as("the first starts at the chunk's start").isNull();
    assertThat(Integer.parseInt(statements.get(0).group(2))).isEqualTo(20000 / 16);
    assertThat(statements.subList(1, statements.size())).allMatch(m -> m.group(1) != null);
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT code), min(code), max(code), count(DISTINCT filename) FROM read_parquet('"
                        + tmp.resolve("out")
                        + "/*.parquet', filename = true)")
                .get(0))
        .containsExactly(20000L, 20000L, "k000001", "k020000", 1L);
  }
}
