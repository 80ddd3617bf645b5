package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills {@code rivet run} (halt, as kill -9) at each commit point through RIVET_TEST_FAIL_AT,
 * resumes, and proves: no source row missing, none duplicated across committed files, manifest and
 * ledger consistent, and _SUCCESS only once the run is whole.
 */
class CrashInjectionIT {
  private static final int ROWS = 3000;
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, updated_at bigint NOT NULL, v text)",
        "INSERT INTO t SELECT g, g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private Path config(boolean incremental) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: t
            table: t
            %s
            format: parquet
            destination: {type: local, path: ./out}
        """
            .formatted(
                pg.jdbcUrl(),
                incremental
                    ? "mode: incremental\n    cursor_column: updated_at"
                    : "mode: chunked\n    chunk_size: 500\n    parallel: 1"));
    return yaml;
  }

  private int runKilledAt(Path yaml, String point) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "-c",
                yaml.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.log").toFile());
    pb.environment().put("RIVET_TEST_FAIL_AT", point);
    Process p = pb.start();
    return p.waitFor();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mid-chunk:3",
        "after-part-write:2",
        "before-publish:3",
        "after-ledger:4",
        "before-manifest",
        "before-success"
      })
  void chunkedRunKilledAtEachCommitPointResumesExactlyOnce(String point) throws Exception {
    Path yaml = config(false);
    assertThat(runKilledAt(yaml, point))
        .as(Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);
    Path out = dir.resolve("out");
    assertThat(out.resolve("_SUCCESS")).doesNotExist();
    if (!point.equals("before-success")) {
      assertThat(out.resolve("manifest.json")).doesNotExist();
    }
    CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertExactlyOnce(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"after-ledger", "before-cursor"})
  void incrementalRunKilledBeforeItsCursorMovedResumesAndThenMovesIt(String point)
      throws Exception {
    Path yaml = config(true);
    assertThat(runKilledAt(yaml, point))
        .as(Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);
    assertThat(storedCursor()).isNull();
    CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertExactlyOnce(dir.resolve("out"));
    assertThat(storedCursor()).isEqualTo(Integer.toString(ROWS));
  }

  @org.junit.jupiter.api.Test
  void aResumeRewritesMissingPartsAndQuarantinesChangedOnes() throws Exception {
    Path yaml = config(false);
    assertThat(runKilledAt(yaml, "after-ledger:4"))
        .as(Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);
    Path out = dir.resolve("out");
    List<Path> parts;
    try (Stream<Path> s = Files.list(out)) {
      parts = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
    Path missing = parts.get(0);
    Path changed = parts.get(1);
    Path sameSize = parts.get(2);
    Files.delete(missing);
    Files.write(changed, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    // Other bytes at the same size: only the SHA-256 tells (a size check alone would publish it).
    byte[] b = Files.readAllBytes(sameSize);
    b[b.length / 2] ^= 0x5a;
    Files.write(sameSize, b);
    CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertExactlyOnce(out);
    assertThat(missing).exists();
    try (Stream<Path> s = Files.walk(out.resolve("_quarantine"))) {
      assertThat(s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              changed.getFileName().toString(), sameSize.getFileName().toString());
    }
    assertThat(ExportDirectory.sha256(sameSize)).isNotEqualTo(ExportDirectory.sha256bytes(b));
  }

  /**
   * A second snapshot run killed after its _SUCCESS but before it moved the first run's parts
   * aside: the directory briefly lists both runs, the run is still unfinished, and its resume
   * finishes the move.
   */
  @org.junit.jupiter.api.Test
  void aRunKilledBeforeRetiringTheOldSnapshotFinishesTheMoveOnResume() throws Exception {
    Path yaml = config(false);
    assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
    Path out = dir.resolve("out");
    List<String> first = ExportDirectory.visibleParts(out);
    Thread.sleep(5);
    assertThat(runKilledAt(yaml, "before-retire"))
        .as(Files.readString(dir.resolve("killed.log")))
        .isEqualTo(137);
    assertThat(ExportDirectory.visibleParts(out))
        .containsAll(first)
        .hasSizeGreaterThan(first.size());
    CliRun plain = CliRun.of("run", "-c", yaml.toString());
    assertThat(plain.exitCode()).isEqualTo(1);
    assertThat(plain.err()).contains("[RUN_IN_PROGRESS]").contains("--resume");
    CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertExactlyOnce(out);
    assertThat(ExportDirectory.visibleParts(out)).doesNotContainAnyElementsOf(first);
  }

  private String storedCursor() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT last_cursor_value FROM export_state WHERE export_name = 't'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void assertExactlyOnce(Path out) throws Exception {
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly(
            (long) ROWS, (long) ROWS, BigInteger.valueOf((long) ROWS * (ROWS + 1) / 2));
    byte[] bytes = Files.readAllBytes(out.resolve("manifest.json"));
    assertThat(Files.readString(out.resolve("_SUCCESS"))).isEqualTo(Manifest.successMarker(bytes));
    Manifest m = Manifest.parse(bytes);
    List<String> files;
    try (Stream<Path> s = Files.list(out)) {
      files =
          s.map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".parquet"))
              .sorted()
              .toList();
    }
    assertThat(m.parts())
        .extracting(Manifest.Part::path)
        .containsExactlyInAnyOrderElementsOf(files);
    for (Manifest.Part p : m.parts()) {
      assertThat(Files.size(out.resolve(p.path()))).isEqualTo(p.sizeBytes());
      assertThat(ExportDirectory.sha256(out.resolve(p.path()))).isEqualTo(p.contentFingerprint());
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT file_name FROM file_ledger WHERE run_id = '"
                    + m.runId()
                    + "' AND row_count > 0 ORDER BY file_name")) {
      List<String> ledger = new ArrayList<>();
      while (rs.next()) {
        ledger.add(rs.getString(1));
      }
      assertThat(ledger)
          .containsExactlyElementsOf(files.stream().sorted().collect(Collectors.toList()));
    }
  }
}
