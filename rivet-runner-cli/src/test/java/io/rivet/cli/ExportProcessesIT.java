package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.extract.FaultInjection;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet run --parallel-export-processes}: each export in its own process, one broken export
 * failing alone; the merged summary in {@code --summary-output}; children killed before their
 * manifest are failed exports naming their logs, and {@code --resume} finishes each.
 */
class ExportProcessesIT {
  @TempDir Path dir;

  @Test
  void eachExportInItsOwnProcess() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE a (id bigint PRIMARY KEY, v text)",
          "INSERT INTO a SELECT g, md5(g::text) FROM generate_series(1, 3000) g",
          "CREATE TABLE b (id bigint PRIMARY KEY)",
          "INSERT INTO b SELECT g FROM generate_series(1, 500) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: a, table: a, mode: chunked, chunk_size: 1000, format: parquet, destination: {type: local, path: ./out/a}}
            - {name: b, table: b, format: parquet, destination: {type: local, path: ./out/b}}
            - {name: broken, table: no_such_table, format: parquet, destination: {type: local, path: ./out/broken}}
          """
              .formatted(pg.jdbcUrl()));
      Path summary = dir.resolve("summary.json");
      RivetChild run =
          RivetChild.start(
              dir.resolve("run.log"),
              Map.of(),
              "run",
              "-c",
              yaml.toString(),
              "--parallel-export-processes",
              "--summary-output",
              summary.toString());
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      RunSummary s = RunSummary.parse(Files.readString(summary));
      assertThat(s.runner()).isEqualTo("processes");
      assertThat(s.perExport())
          .extracting(RunSummary.ExportResult::exportName, RunSummary.ExportResult::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", "success"),
              org.assertj.core.groups.Tuple.tuple("b", "success"),
              org.assertj.core.groups.Tuple.tuple("broken", "failed"));
      assertThat(s.successCount()).isEqualTo(2);
      assertThat(s.failedCount()).isEqualTo(1);
      assertThat(s.totalRows()).isEqualTo(3500);
      assertThat(childLogs()).hasSize(3);
      assertThat(DuckDb.count(dir.resolve("out/a") + "/*.parquet")).isEqualTo(3000);
      assertThat(run.output()).contains("started (pid").contains("[SOURCE_QUERY_FAILED]");
    }
  }

  @Test
  void childrenKilledBeforeTheirManifestAreFailedExportsAndResumeFinishesThem() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE a (id bigint PRIMARY KEY)",
          "INSERT INTO a SELECT g FROM generate_series(1, 2000) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          parallel_export_processes: true
          exports:
            - {name: a1, table: a, mode: chunked, chunk_size: 500, format: parquet, destination: {type: local, path: ./out/a1}}
            - {name: a2, table: a, mode: chunked, chunk_size: 500, format: parquet, destination: {type: local, path: ./out/a2}}
          """
              .formatted(pg.jdbcUrl()));
      Path summary = dir.resolve("summary.json");
      RivetChild killed =
          RivetChild.start(
              dir.resolve("killed.log"),
              Map.of(FaultInjection.ENV, "before-manifest"),
              "run",
              "-c",
              yaml.toString(),
              "--summary-output",
              summary.toString());
      assertThat(killed.exitCode()).as(killed.output()).isEqualTo(1);
      RunSummary s = RunSummary.parse(Files.readString(summary));
      assertThat(s.perExport()).extracting(RunSummary.ExportResult::status).containsOnly("failed");
      assertThat(s.perExport().get(0).errorMessage())
          .contains("exited with 137 before writing its summary")
          .contains("rivet-child-stderr-");

      RivetChild resumed =
          RivetChild.start(
              dir.resolve("resume.log"), Map.of(), "run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.output()).isZero();
      for (String e : List.of("a1", "a2")) {
        ExportDirectory.assertEveryRowOnce(
            dir.resolve("out/" + e), dir.resolve(".rivet_state.db"), 2000);
      }
    }
  }

  private List<Path> childLogs() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith("rivet-child-stderr-")).toList();
    }
  }
}
