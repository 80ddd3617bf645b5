package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental exports: each run exports the window (stored cursor, max at plan time]; the cursor
 * moves only after the run finalized; rows committed late with a cursor inside the lag are exported
 * by the next run.
 */
class IncrementalIT {
  @TempDir Path dir;

  private Path config(TestingPostgresServer pg, String extra) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: events
            table: events
            mode: incremental
            cursor_column: updated_at
            %s
            format: parquet
            destination: {type: local, path: "./out/{run_id}"}
        """
            .formatted(pg.jdbcUrl(), extra));
    return yaml;
  }

  private List<Long> ids(Path yaml) throws Exception {
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path latest;
    try (var s = Files.list(dir.resolve("out"))) {
      latest =
          s.max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
              .orElseThrow();
    }
    Manifest m = Manifest.parse(Files.readAllBytes(latest.resolve("manifest.json")));
    if (m.parts().isEmpty()) {
      return List.of();
    }
    String files =
        m.parts().stream()
            .map(p -> "'" + latest.resolve(p.path()) + "'")
            .collect(Collectors.joining(","));
    return DuckDb.rows("SELECT id FROM read_parquet([" + files + "]) ORDER BY id").stream()
        .map(r -> ((Number) r.get(0)).longValue())
        .toList();
  }

  @Test
  void eachRunExportsOnlyItsWindowAndTheCursorMovesAfterSuccess() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE events (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, v text)",
          "INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'v' || g"
              + " FROM generate_series(1, 100) g");
      Path yaml = config(pg, "");
      assertThat(ids(yaml)).hasSize(100).startsWith(1L).endsWith(100L);
      assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
      pg.execute(
          "INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'v' || g"
              + " FROM generate_series(101, 130) g");
      assertThat(ids(yaml))
          .containsExactlyElementsOf(LongStream.rangeClosed(101, 130).boxed().toList());
      pg.execute(
          "UPDATE events SET updated_at = updated_at + interval '1 day', v = 'changed' WHERE id IN (5, 7)");
      assertThat(ids(yaml)).containsExactly(5L, 7L);
    }
  }

  @Test
  void aStoredCursorThatIsNotAValueOfTheColumnIsRefusedNamingTheFix() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE events (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, v text)",
          "INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'v' || g"
              + " FROM generate_series(1, 10) g");
      Path yaml = config(pg, "");
      assertThat(ids(yaml)).hasSize(10);
      try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"))) {
        c.createStatement()
            .executeUpdate("UPDATE export_state SET last_cursor_value = 'yesterday'");
      }
      CliRun bad = CliRun.of("run", "-c", yaml.toString());
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.err())
          .contains("[STATE_STORE_FAILED]")
          .contains("the stored cursor 'yesterday' is not a value of" + " cursor column updated_at")
          .contains("rivet state reset")
          .doesNotContain("NumberFormat")
          .doesNotContain("DateTimeParse")
          .doesNotContain("\tat ");
      assertThat(CliRun.of("state", "reset", "-c", yaml.toString(), "-e", "events").exitCode())
          .isZero();
      assertThat(ids(yaml)).hasSize(10);
    }
  }

  @Test
  void lateRowsWithinTheLagAreExportedByTheNextRun() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE events (id bigint PRIMARY KEY, updated_at timestamp NOT NULL, v text)",
          "INSERT INTO events SELECT g, timestamp '2024-01-01 00:00:00' + g * interval '1 minute', 'v' || g"
              + " FROM generate_series(1, 50) g");
      Path yaml = config(pg, "incremental: {lag: 10m}");
      assertThat(ids(yaml)).hasSize(50);
      // Committed after that run finished: one row ties the high-water mark (00:50), one is 5
      // minutes behind it, one is 30 minutes behind it (outside the lag).
      pg.execute(
          "INSERT INTO events VALUES (1001, timestamp '2024-01-01 00:50:00', 'tie'),"
              + " (1002, timestamp '2024-01-01 00:45:00', 'late'), (1003, timestamp '2024-01-01 00:20:00', 'too late')");
      List<Long> second = ids(yaml);
      assertThat(second).contains(1001L, 1002L).doesNotContain(1003L);
      // The lag re-reads (00:40, 00:50]: rows 41..50 come again — at-least-once inside the lag,
      // documented.
      assertThat(second).containsAll(LongStream.rangeClosed(41, 50).boxed().toList());
    }
  }

  @Test
  void withoutLagATieCommittedLateIsNotExportedAndTheDocsSaySo() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE events (id bigint PRIMARY KEY, updated_at bigint NOT NULL, v text)",
          "INSERT INTO events SELECT g, g * 10, 'v' || g FROM generate_series(1, 20) g");
      Path yaml = config(pg, "");
      assertThat(ids(yaml)).hasSize(20);
      pg.execute("INSERT INTO events VALUES (21, 200, 'tie committed late'), (22, 210, 'new')");
      assertThat(ids(yaml)).containsExactly(22L);
    }
  }
}
