package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet state show|reset|files|chunks|progression}, {@code rivet metrics}, {@code rivet
 * journal}, as JSON.
 */
class OperatorViewsIT {
  @TempDir Path dir;

  private static JsonNode json(String... args) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as(r.err()).isZero();
    } finally {
      System.setOut(old);
    }
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyViewReadsTheStateStore() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, updated_at bigint NOT NULL)",
          "INSERT INTO t SELECT g, g FROM generate_series(1, 900) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: inc, table: t, mode: incremental, cursor_column: updated_at, format: parquet,
               destination: {type: local, path: "./inc/{run_id}"}}
            - {name: chunks, table: t, mode: chunked, chunk_size: 300, format: parquet, destination: {type: local, path: ./chunks}}
          """
              .formatted(pg.jdbcUrl()));
      String c = yaml.toString();
      assertThat(CliRun.of("run", "-c", c).exitCode()).isZero();

      JsonNode show = json("state", "show", "-c", c, "--json");
      assertThat(show).hasSize(1);
      assertThat(show.get(0).get("export_name").asText()).isEqualTo("inc");
      assertThat(show.get(0).get("last_cursor_value").asText()).isEqualTo("900");

      JsonNode files = json("state", "files", "-c", c, "-e", "chunks", "--json");
      assertThat(files).hasSize(3);
      assertThat(files.get(0).get("row_count").asLong()).isEqualTo(300);

      JsonNode chunks = json("state", "chunks", "-c", c, "-e", "chunks", "--json");
      assertThat(chunks.get("status").asText()).isEqualTo("completed");
      assertThat(chunks.get("tasks")).hasSize(3);
      assertThat(chunks.get("tasks").get(1).get("status").asText()).isEqualTo("completed");
      assertThat(chunks.get("tasks").get(1).get("rows_written").asLong()).isEqualTo(300);

      JsonNode progression = json("state", "progression", "-c", c, "--json");
      assertThat(progression).hasSize(2);
      assertThat(progression.get(0).get("last_committed_cursor").asText()).isEqualTo("900");

      JsonNode metrics = json("metrics", "-c", c, "--json");
      assertThat(metrics).hasSize(2);
      assertThat(metrics.findValuesAsText("status")).containsOnly("success");
      assertThat(metrics.findValuesAsText("total_rows")).containsOnly("900");

      JsonNode journal = json("journal", "-c", c, "-e", "chunks", "--json");
      List<String> events = journal.get(0).get("entries").findValuesAsText("event");
      assertThat(events).contains("PlanResolved", "RunCompleted");
      // One event per chunk start and completion and per file, each written with the state change
      // it reports (a refused copy of the work journals nothing).
      assertThat(events.stream().filter("ChunkStarted"::equals)).hasSize(3);
      assertThat(events.stream().filter("ChunkCompleted"::equals)).hasSize(3);
      assertThat(events.stream().filter("FileWritten"::equals)).hasSize(3);
      assertThat(events.indexOf("ChunkStarted")).isLessThan(events.indexOf("FileWritten"));
      assertThat(events.lastIndexOf("ChunkCompleted")).isLessThan(events.indexOf("RunCompleted"));

      assertThat(CliRun.of("state", "reset", "-c", c, "-e", "inc").exitCode()).isZero();
      assertThat(json("state", "show", "-c", c, "--json").get(0).get("last_cursor_value").isNull())
          .isTrue();
      assertThat(json("state", "chunks", "-c", c, "-e", "inc", "--json").get("tasks")).hasSize(1);
    }
  }
}
