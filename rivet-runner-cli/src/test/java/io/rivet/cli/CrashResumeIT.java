package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code rivet run} process (SIGKILL) after some chunks committed, refuses a plain
 * re-run, resumes, and proves every source row appears exactly once across the committed files.
 */
class CrashResumeIT {
  private static final int ROWS = 60_000;

  @TempDir Path dir;

  @Test
  void killedRunResumesWithEveryRowExactlyOnce() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text, k integer)",
          "INSERT INTO t SELECT g, md5(g::text), g % 7 FROM generate_series(1, " + ROWS + ") g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - name: crashy
              table: t
              mode: chunked
              chunk_size: 3000
              parallel: 1
              format: parquet
              tuning: {batch_size: 1000, throttle_ms: 150}
              destination: {type: local, path: ./out}
          """
              .formatted(pg.jdbcUrl()));

      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "run",
                  "-c",
                  yaml.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("first-run.log").toFile())
              .start();
      waitForCommittedParts(dir.resolve(".rivet_state.db"), 3, p);
      p.destroyForcibly();
      assertThat(p.waitFor()).isNotZero();

      Path out = dir.resolve("out");
      assertThat(out.resolve("_SUCCESS")).doesNotExist();
      assertThat(out.resolve("manifest.json")).doesNotExist();
      assertThat(parquetFiles(out)).isNotEmpty();

      CliRun plain = CliRun.of("run", "-c", yaml.toString());
      assertThat(plain.exitCode()).isEqualTo(1);
      assertThat(plain.err())
          .contains("[RUN_IN_PROGRESS]")
          .contains("has an unfinished run crashy_")
          .contains("rivet run -c " + yaml + " -e crashy --resume");

      CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();

      List<List<Object>> stats =
          DuckDb.rows(
              "SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id)"
                  + " FROM read_parquet('"
                  + out
                  + "/*.parquet')");
      assertThat(stats.get(0))
          .containsExactly(
              (long) ROWS,
              (long) ROWS,
              BigInteger.valueOf((long) ROWS * (ROWS + 1) / 2),
              1L,
              (long) ROWS);

      byte[] manifestBytes = Files.readAllBytes(out.resolve("manifest.json"));
      Manifest m = Manifest.parse(manifestBytes);
      assertThat(Files.readString(out.resolve("_SUCCESS")))
          .isEqualTo(Manifest.successMarker(manifestBytes));
      assertThat(m.rowCount()).isEqualTo(ROWS);
      assertThat(m.parts())
          .extracting(Manifest.Part::path)
          .containsExactlyInAnyOrderElementsOf(parquetFiles(out));
      assertThat(m.parts().stream().mapToLong(Manifest.Part::rows).sum()).isEqualTo(ROWS);
      for (Manifest.Part part : m.parts()) {
        assertThat(Files.size(out.resolve(part.path()))).isEqualTo(part.sizeBytes());
        assertThat(DuckDb.count(out.resolve(part.path()).toString())).isEqualTo(part.rows());
      }
    }
  }

  private static List<String> parquetFiles(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }

  private static void waitForCommittedParts(Path db, int atLeast, Process p) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "rivet exited early with "
                + p.exitValue()
                + ": "
                + Files.readString(db.resolveSibling("first-run.log")));
      }
      if (Files.exists(db)) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery("SELECT count(*) FROM file_ledger WHERE row_count > 0")) {
          if (rs.next() && rs.getInt(1) >= atLeast) {
            return;
          }
        } catch (SQLException notYetMigrated) {
          // the table appears once the run has started
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + atLeast + " committed parts within 3 minutes");
  }
}
