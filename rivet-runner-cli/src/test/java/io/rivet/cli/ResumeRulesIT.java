package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed run leaves behind and when a resume is allowed: plan changes, attempt limits,
 * abandoning.
 */
class ResumeRulesIT {
  @TempDir Path dir;

  private Path write(String url, int chunkSize) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: r
            table: r
            mode: chunked
            chunk_size: %d
            chunk_max_attempts: 2
            format: parquet
            destination: {type: local, path: ./out}
          - name: empty
            table: nothing
            mode: chunked
            format: parquet
            destination: {type: local, path: ./empty}
        """
            .formatted(url, chunkSize));
    return yaml;
  }

  @Test
  void failedRunsResumeOnlyUnderTheSamePlanAndWithinTheAttemptLimit() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE r (id bigint PRIMARY KEY, ts timestamp)",
          "INSERT INTO r SELECT g, timestamp '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 100) g",
          "UPDATE r SET ts = '-infinity' WHERE id = 42",
          "CREATE TABLE nothing (id integer PRIMARY KEY)");
      Path yaml = write(pg.jdbcUrl(), 20);
      String c = yaml.toString();

      assertThat(CliRun.of("run", "-c", c, "-e", "r").err())
          .contains("[VALUE_INVALID]")
          .contains("key 42");

      write(pg.jdbcUrl(), 25);
      CliRun changed = CliRun.of("run", "-c", c, "-e", "r", "--resume");
      assertThat(changed.exitCode()).isEqualTo(1);
      assertThat(changed.err())
          .contains("[PLAN_CHANGED]")
          .contains("the config changed since run r_")
          .contains("rivet state reset-chunks -c " + c + " -e r");

      write(pg.jdbcUrl(), 20);
      assertThat(CliRun.of("run", "-c", c, "-e", "r", "--resume").err())
          .contains("[VALUE_INVALID]")
          .contains("key 42");
      CliRun exhausted = CliRun.of("run", "-c", c, "-e", "r", "--resume");
      assertThat(exhausted.exitCode()).isEqualTo(1);
      assertThat(exhausted.err())
          .contains("export 'r', chunk 2 failed 2 times (chunk_max_attempts: 2)")
          .contains("column ts: the timestamp is \u00b1infinity");

      pg.execute("UPDATE r SET ts = timestamp '2024-01-01' WHERE id = 42");
      assertThat(CliRun.of("state", "reset-chunks", "-c", c, "-e", "r", "--failed").exitCode())
          .as("-e or --failed, not both")
          .isEqualTo(2);
      // Every export with an unfinished run (here: r) is abandoned; the others are left alone.
      assertThat(CliRun.of("state", "reset-chunks", "-c", c, "--failed").exitCode()).isZero();
      assertThat(CliRun.of("state", "reset-chunks", "-c", c, "-e", "r").exitCode())
          .as("nothing left to reset")
          .isZero();
      CliRun fresh = CliRun.of("run", "-c", c);
      assertThat(fresh.exitCode()).as(fresh.err()).isZero();

      Path out = dir.resolve("out");
      Manifest m = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
      String files =
          m.parts().stream()
              .map(p -> "'" + out.resolve(p.path()) + "'")
              .collect(Collectors.joining(","));
      assertThat(
              DuckDb.rows("SELECT count(*), count(DISTINCT id) FROM read_parquet([" + files + "])")
                  .get(0))
          .containsExactly(100L, 100L);
      assertThat(m.rowCount()).isEqualTo(100);

      Manifest empty = Manifest.parse(Files.readAllBytes(dir.resolve("empty/manifest.json")));
      assertThat(empty.partCount()).isZero();
      assertThat(dir.resolve("empty/_SUCCESS")).exists();
    }
  }

  @Test
  void twoExportsIntoOneDirectoryAreRefusedBeforeAnythingStarts() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute("CREATE TABLE a (id integer PRIMARY KEY)");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: one, table: a, format: parquet, destination: {type: local, path: ./same}}
            - {name: two, table: a, format: parquet, destination: {type: local, path: ./same}}
          """
              .formatted(pg.jdbcUrl()));
      CliRun r = CliRun.of("run", "-c", yaml.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err())
          .contains("exports 'one' and 'two' both write to")
          .contains("./out/{export}");
      CliRun again = CliRun.of("run", "-c", yaml.toString(), "-e", "one");
      assertThat(again.exitCode()).as("no half-started run blocks a later run").isZero();
    }
  }

  @Test
  void aKeysetRunResumesAfterItsLastCommittedPage() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE ks (code text PRIMARY KEY, ts timestamp)",
          "INSERT INTO ks SELECT 'c' || lpad(g::text, 4, '0'), timestamp '2024-01-01' + g * interval '1 hour'"
              + " FROM generate_series(1, 95) g",
          "UPDATE ks SET ts = 'infinity' WHERE code = 'c0063'");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: ks, table: ks, mode: chunked, chunk_by_key: code, chunk_size: 10, format: parquet,
               destination: {type: local, path: ./ks}}
          """
              .formatted(pg.jdbcUrl()));
      CliRun failed = CliRun.of("run", "-c", yaml.toString());
      assertThat(failed.err()).contains("[VALUE_INVALID]").contains("chunk 0 (start..end]");
      Path out = dir.resolve("ks");
      try (Stream<Path> s = Files.list(out)) {
        assertThat(
                s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet")).sorted())
            .hasSize(6)
            .allMatch(n -> n.matches(".*_chunk0_p[0-5]\\.parquet"));
      }
      pg.execute("UPDATE ks SET ts = timestamp '2024-01-01' WHERE code = 'c0063'");
      CliRun resumed = CliRun.of("run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
      Manifest m = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
      assertThat(m.partCount()).isEqualTo(10);
      assertThat(m.parts())
          .extracting(Manifest.Part::path)
          .allMatch(p -> p.matches(".*_chunk0_p[0-9]\\.parquet"));
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), count(DISTINCT code), min(code), max(code) FROM read_parquet('"
                          + out
                          + "/*.parquet')")
                  .get(0))
          .containsExactly(95L, 95L, "c0001", "c0095");
    }
  }
}
