package io.rivet.cli;

import static io.rivet.cli.ExportDirectory.assertEveryRowOnce;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.Json;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One export's failure is its own: in a run of five exports, one fails at its source mid-read, one
 * at its quality gate, one on schema drift before it starts — and the two others commit their
 * manifest and {@code _SUCCESS}. The exit code is the most serious failure's (data integrity over
 * drift over retryable over generic); the summary counts what succeeded and what failed, with each
 * failure's code and message; the source failure's run is resumed once the source is fixed.
 */
class ExportIsolationIT {
  private static final int ROWS = 20_000;
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g",
        "CREATE TABLE d (id bigint PRIMARY KEY, v text)",
        "INSERT INTO d SELECT g, md5(g::text) FROM generate_series(1, 100) g",
        "CREATE TABLE flags (broken boolean)",
        "INSERT INTO flags VALUES (true)",
        // A source that fails for good in the middle of the read while the flag is set.
        "CREATE FUNCTION boom(k bigint) RETURNS text LANGUAGE plpgsql STABLE AS $$ BEGIN"
            + " IF k = 15000 AND (SELECT broken FROM flags) THEN"
            + " RAISE EXCEPTION 'disk of the source broke at %', k; END IF;"
            + " RETURN md5(k::text); END $$",
        // Planning reads only the view's keys; the function runs when rows are read.
        "CREATE VIEW tv AS SELECT id, boom(id) AS v FROM t");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private record Run(int exitCode, String out, String err) {}

  private Run rivet(String log, String... args) throws Exception {
    List<String> cmd = RivetChild.command(args);
    Path out = dir.resolve(log + ".out");
    Path err = dir.resolve(log + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new Run(code, Files.readString(out), Files.readString(err));
  }

  @Test
  void theOtherExportsCommitAndTheExitCodeIsTheMostSeriousFailure() throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: a, table: t, mode: chunked, chunk_size: 5000, parallel: 2, format: parquet,
             destination: {type: local, path: ./out/a}}
          - {name: broken_source, table: tv, mode: chunked,
             chunk_column: id, chunk_size: 5000, format: parquet,
             destination: {type: local, path: ./out/broken_source}}
          - {name: broken_quality, table: t, format: parquet, quality: {row_count_min: 1000000},
             destination: {type: local, path: ./out/broken_quality}}
          - {name: drifting, table: d, format: parquet, on_schema_drift: fail,
             destination: {type: local, path: ./out/drifting}}
          - {name: b, table: t, mode: chunked, chunk_size: 7000, format: csv,
             destination: {type: local, path: ./out/b}}
        """
            .formatted(pg.jdbcUrl()));
    Path state = dir.resolve(".rivet_state.db");
    // The drifting export's baseline, then its table changes.
    Run first = rivet("first", "run", "-c", yaml.toString(), "-e", "drifting");
    assertThat(first.exitCode()).as(first.err()).isZero();
    pg.execute("ALTER TABLE d ADD COLUMN extra int");
    byte[] driftingManifest = Files.readAllBytes(dir.resolve("out/drifting/manifest.json"));

    Run run = rivet("run", "run", "-c", yaml.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    JsonNode summary = Json.MAPPER.readTree(run.out());
    assertThat(summary.get("total_exports").asInt()).isEqualTo(5);
    assertThat(summary.get("success_count").asInt()).isEqualTo(2);
    assertThat(summary.get("failed_count").asInt()).isEqualTo(3);
    assertThat(summary.get("exit_code").asInt()).isEqualTo(3);
    Map<String, JsonNode> byName = new HashMap<>();
    summary.get("per_export").forEach(r -> byName.put(r.get("export_name").asText(), r));
    assertThat(byName.get("a").get("status").asText()).isEqualTo("success");
    assertThat(byName.get("b").get("status").asText()).isEqualTo("success");
    assertThat(byName.get("a").get("rows").asLong()).isEqualTo(ROWS);
    assertThat(byName.get("broken_source").get("status").asText()).isEqualTo("failed");
    assertThat(byName.get("broken_source").get("error_code").asText())
        .isEqualTo("SOURCE_QUERY_FAILED");
    assertThat(byName.get("broken_source").get("error_message").asText())
        .contains("export 'broken_source', chunk 2")
        .contains("disk of the source broke at 15000")
        .contains("--resume");
    assertThat(byName.get("broken_quality").get("error_code").asText()).isEqualTo("DATA_INTEGRITY");
    assertThat(byName.get("broken_quality").get("error_message").asText())
        .contains("quality check failed");
    assertThat(byName.get("drifting").get("error_code").asText()).isEqualTo("SCHEMA_DRIFT");
    assertThat(byName.get("drifting").get("error_message").asText()).contains("extra");

    Path out = dir.resolve("out");
    for (String ok : List.of("a", "b")) {
      assertThat(out.resolve(ok).resolve("_SUCCESS")).exists();
      assertThat(out.resolve(ok).resolve("manifest.json")).exists();
    }
    assertEveryRowOnce(out.resolve("a"), state, ROWS);
    for (String failed : List.of("broken_source", "broken_quality")) {
      assertThat(out.resolve(failed).resolve("_SUCCESS")).as(failed).doesNotExist();
    }
    assertThat(out.resolve("drifting/manifest.json"))
        .as("the drifting export's last published run stays as it was")
        .hasBinaryContent(driftingManifest);

    // The same run in text: one line per export, and each failure's error on stderr. The source
    // export's run is unfinished now, which a run without --resume refuses (exit 1) — for it alone.
    Run text = rivet("text", "run", "-c", yaml.toString());
    assertThat(text.exitCode()).as(text.err()).isEqualTo(3);
    assertThat(text.out())
        .contains("2 export(s) ok, 3 failed")
        .containsPattern("✗\\s+broken_quality\\s+failed \\[DATA_INTEGRITY]")
        .containsPattern("✗\\s+drifting\\s+failed \\[SCHEMA_DRIFT]")
        .containsPattern("✗\\s+broken_source\\s+failed \\[RUN_IN_PROGRESS]");
    assertThat(text.err())
        .contains("Error: [DATA_INTEGRITY] export 'broken_quality'")
        .contains("Error: [SCHEMA_DRIFT]")
        .contains("Error: [RUN_IN_PROGRESS] export 'broken_source' has an unfinished run")
        .doesNotContain("\tat ");

    // The source is fixed: the failed export's run resumes, alone, and completes.
    pg.execute("UPDATE flags SET broken = false");
    Run resumed = rivet("resumed", "run", "-c", yaml.toString(), "-e", "broken_source", "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("(resumed broken_source_");
    assertEveryRowOnce(out.resolve("broken_source"), state, ROWS);
  }
}
