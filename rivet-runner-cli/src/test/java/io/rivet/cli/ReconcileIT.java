package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import io.rivet.core.testing.TestingSqlServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet reconcile}: over each engine's hostile showcase (every type at its limits, NULLs,
 * NaN, zero dates, non-ASCII), the source's count and content checksum equal the files' for every
 * chunk; after rows change on the source, exactly the chunks holding them differ — by content when
 * the count is unchanged — and the command exits 3; an incremental run's bounded window keeps
 * matching after newer rows arrive.
 */
class ReconcileIT {
  @TempDir Path dir;

  @Test
  void postgresHostileShowcase() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      try (Connection c = pg.connect()) {
        DemoDatabase.load(c, 100);
      }
      pg.execute(
          "CREATE TABLE events (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, v text)",
          "INSERT INTO events SELECT g, timestamptz '2026-01-01' + g * interval '1 minute', md5(g::text)"
              + " FROM generate_series(1, 500) g",
          "CREATE TABLE recent (id bigint PRIMARY KEY, at timestamptz NOT NULL)",
          "INSERT INTO recent SELECT g, now() - g * interval '1 hour' FROM generate_series(1, 100) g");
      Path yaml =
          config(
              pg,
              """
                - {name: showcase, table: demo.type_showcase, mode: chunked, chunk_column: id, chunk_size: 2,
                   format: parquet, destination: {type: local, path: ./out/showcase}}
                - {name: showcase_full, query: "SELECT * FROM demo.type_showcase", mode: full,
                   format: parquet, destination: {type: local, path: ./out/showcase_full}}
                - {name: events, table: events, mode: incremental, cursor_column: updated_at,
                   format: parquet, destination: {type: local, path: ./out/events}}
                - {name: recent, table: recent, mode: time_window, time_column: at, days_window: 30,
                   format: parquet, destination: {type: local, path: ./out/recent}}
              """);
      RivetChild run =
          RivetChild.start(
              dir.resolve("run.log"), Map.of(), "run", "-c", yaml.toString(), "--reconcile");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .contains("reconcile showcase, run ")
          .contains("3 chunk(s): 3 match, 0 mismatch, 0 unknown; 6 source rows, 6 in files")
          .contains("1 chunk(s): 1 match, 0 mismatch, 0 unknown; 500 source rows, 500 in files")
          .contains("1 chunk(s): 1 match, 0 mismatch, 0 unknown; 100 source rows, 100 in files");

      ReconcileReport clean = reconcile(yaml, "showcase", 0);
      assertThat(clean.partitions()).hasSize(3);
      assertThat(clean.summary().matches()).isEqualTo(3);
      assertThat(clean.summary().totalSourceRows()).isEqualTo(6);
      assertThat(reconcile(yaml, "showcase_full", 0).summary().matches()).isEqualTo(1);
      assertThat(reconcile(yaml, "events", 0).summary().totalSourceRows()).isEqualTo(500);

      // A changed value (same count) in chunk 1, a deleted row in chunk 2; rows newer than the
      // incremental run's window do not concern that run.
      pg.execute(
          "UPDATE demo.type_showcase SET c_double = 0.1 WHERE id = 3",
          "DELETE FROM demo.type_showcase WHERE id = 6",
          "INSERT INTO events VALUES (501, timestamptz '2030-01-01', 'late')",
          "INSERT INTO recent VALUES (101, now() - interval '40 days')");
      ReconcileReport changed = reconcile(yaml, "showcase", 3);
      assertThat(statuses(changed))
          .isEqualTo(Map.of(0, "match", 1, "mismatch/content", 2, "mismatch/count"));
      ReconcileReport.Partition c1 = changed.partitions().get(1);
      assertThat(c1.sourceCount()).isEqualTo(c1.exportedCount()).isEqualTo(2L);
      assertThat(c1.sourceChecksum()).isNotEqualTo(c1.exportedChecksum());
      assertThat(c1.differingColumns()).containsExactly("c_double");
      assertThat(reconcile(yaml, "events", 0).summary().matches()).isEqualTo(1);
      ReconcileReport window = reconcile(yaml, "recent", 0);
      assertThat(window.summary().totalSourceRows())
          .as("a time_window run is compared over its own window (the row 40 days old is outside)")
          .isEqualTo(100);

      // The value restored: the chunk matches again.
      pg.execute("UPDATE demo.type_showcase SET c_double = 'Infinity' WHERE id = 3");
      assertThat(statuses(reconcile(yaml, "showcase", 3)).get(1)).isEqualTo("match");
    }
  }

  @Test
  void mariaDbHostileShowcase() throws Exception {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      db.execute(HostileShowcase.MARIADB);
      Path yaml =
          config(
              db,
              """
                - {name: types, table: types, mode: chunked, chunk_column: id, chunk_size: 2,
                   format: parquet, destination: {type: local, path: ./out/types}}
              """);
      assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
      ReconcileReport clean = reconcile(yaml, "types", 0);
      assertThat(clean.summary().matches()).as(clean.toJson()).isEqualTo(3);
      assertThat(clean.summary().totalExportedRows()).isEqualTo(5);

      db.execute("UPDATE types SET c_varchar = 'héllo wörld ✓ 日本語 🎉!' WHERE id = 2");
      ReconcileReport changed = reconcile(yaml, "types", 3);
      assertThat(statuses(changed))
          .isEqualTo(Map.of(0, "mismatch/content", 1, "match", 2, "match"));
      assertThat(changed.partitions().get(0).differingColumns()).containsExactly("c_varchar");
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = TestingSqlServer.ENV, matches = ".+")
  void sqlServerHostileShowcase() throws Exception {
    try (TestingSqlServer db = new TestingSqlServer()) {
      db.execute(HostileShowcase.SQLSERVER);
      Path yaml =
          config(
              db,
              """
                - {name: types, table: types, mode: chunked, chunk_column: id, chunk_size: 2,
                   format: parquet, destination: {type: local, path: ./out/types}}
              """);
      assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
      ReconcileReport clean = reconcile(yaml, "types", 0);
      assertThat(clean.summary().matches()).as(clean.toJson()).isEqualTo(2);
      db.execute("UPDATE types SET c_nvarchar = N'changed' WHERE id = 2");
      assertThat(reconcile(yaml, "types", 3).partitions().get(0).differingColumns())
          .containsExactly("c_nvarchar");
    }
  }

  private Path config(TestingServer server, String exports) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        "source: {type: "
            + server.sourceType()
            + ", url: \""
            + server.jdbcUrl()
            + "\"}\nexports:\n"
            + exports);
    return yaml;
  }

  private ReconcileReport reconcile(Path yaml, String export, int exitCode) throws Exception {
    Path report = dir.resolve(export + "-reconcile.json");
    CliRun r =
        CliRun.of(
            "reconcile",
            "-c",
            yaml.toString(),
            "-e",
            export,
            "--format",
            "json",
            "-o",
            report.toString());
    ReconcileReport parsed = ReconcileReport.parse(Files.readString(report));
    assertThat(r.exitCode()).as(r.err() + parsed.toJson()).isEqualTo(exitCode);
    return parsed;
  }

  private static Map<Integer, String> statuses(ReconcileReport r) {
    return r.partitions().stream()
        .collect(
            Collectors.toMap(
                ReconcileReport.Partition::chunkIndex,
                p -> p.status() + (p.mismatch() == null ? "" : "/" + p.mismatch())));
  }
}
