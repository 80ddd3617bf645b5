package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.extract.FaultInjection;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet repair}: rows of two chunks change on the source; reconcile names exactly those
 * chunks; the dry run changes nothing; {@code --execute} re-exports only them, their old parts
 * leave the manifest and the directory, and reconcile then finds every chunk matching, with every
 * row once. A repair killed at each of its commit points is finished by the next one, with the same
 * result.
 */
class RepairIT {
  private static final int ROWS = 1000;

  @TempDir Path dir;

  @Test
  void repairReExportsOnlyTheChunksThatDifferAndEveryRowStaysOnce() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      Path yaml = exportAndChange(pg);
      Path out = dir.resolve("out");
      List<String> before = ExportDirectory.visibleParts(out);

      Path report = dir.resolve("report.json");
      CliRun reconcile =
          CliRun.of("reconcile", "-c", yaml.toString(), "-e", "items", "-o", report.toString());
      assertThat(reconcile.exitCode()).as(reconcile.err()).isEqualTo(3);
      ReconcileReport r = ReconcileReport.parse(Files.readString(report));
      assertThat(r.partitions())
          .filteredOn(p -> p.status().equals("mismatch"))
          .extracting(ReconcileReport.Partition::chunkIndex)
          .containsExactly(3, 5);

      Path plan = dir.resolve("plan.json");
      CliRun dry =
          CliRun.of(
              "repair",
              "-c",
              yaml.toString(),
              "-e",
              "items",
              "--report",
              report.toString(),
              "-o",
              plan.toString());
      assertThat(dry.exitCode()).as(dry.err()).isZero();
      assertThat(Files.readString(plan))
          .contains("\"chunk_index\" : 3")
          .contains("\"chunk_index\" : 5");
      assertThat(ExportDirectory.visibleParts(out))
          .as("a dry run changes nothing")
          .isEqualTo(before);

      // Another holder of the export's lease (a run, another repair): the repair waits its turn.
      try (LeaseKeeper other =
          new LeaseKeeper(
              "jdbc:sqlite:" + dir.resolve(".rivet_state.db"), Duration.ofSeconds(30))) {
        other.acquire("items", "another launcher");
        CliRun busy =
            CliRun.of(
                "repair",
                "-c",
                yaml.toString(),
                "-e",
                "items",
                "--report",
                report.toString(),
                "--execute");
        assertThat(busy.exitCode()).as(busy.err()).isEqualTo(2);
        assertThat(busy.err()).contains("EXPORT_BUSY");
        assertThat(ExportDirectory.visibleParts(out)).isEqualTo(before);
      }

      CliRun exec =
          CliRun.of(
              "repair",
              "-c",
              yaml.toString(),
              "-e",
              "items",
              "--report",
              report.toString(),
              "--execute");
      assertThat(exec.exitCode()).as(exec.err()).isZero();
      assertRepaired(yaml, out, before);

      // The next run supersedes the repaired one as any run does.
      CliRun next = CliRun.of("run", "-c", yaml.toString());
      assertThat(next.exitCode()).as(next.err()).isZero();
      Manifest m = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
      assertThat(ExportDirectory.visibleParts(out))
          .containsExactlyInAnyOrderElementsOf(
              m.parts().stream().map(Manifest.Part::path).toList());
      assertThat(DuckDb.count(out + "/*.parquet")).isEqualTo(ROWS - 1);
    }
  }

  @Test
  void aRepairKilledAtEachCommitPointIsFinishedByTheNext() throws Exception {
    for (String point :
        List.of(
            "repair-after-part",
            "repair-after-swap",
            "repair-after-swap:2",
            "repair-before-success")) {
      Path caseDir = Files.createDirectories(dir.resolve(point.replace(':', '_')));
      try (TestingPostgresServer pg = new TestingPostgresServer()) {
        Path yaml = exportAndChange(pg, caseDir);
        Path out = caseDir.resolve("out");
        List<String> before = ExportDirectory.visibleParts(out);
        RivetChild killed =
            RivetChild.start(
                caseDir.resolve("killed.log"),
                Map.of(FaultInjection.ENV, point),
                "repair",
                "-c",
                yaml.toString(),
                "-e",
                "items",
                "--execute");
        assertThat(killed.exitCode()).as(point + ": " + killed.output()).isEqualTo(137);
        CliRun again = CliRun.of("repair", "-c", yaml.toString(), "-e", "items", "--execute");
        assertThat(again.exitCode()).as(point + ": " + again.err()).isZero();
        assertRepaired(yaml, out, before);
      }
    }
  }

  private Path exportAndChange(TestingPostgresServer pg) throws Exception {
    return exportAndChange(pg, dir);
  }

  /** Exports 1000 rows in 10 chunks, then changes rows of chunk 3 and deletes one of chunk 5. */
  private static Path exportAndChange(TestingPostgresServer pg, Path at) throws Exception {
    pg.execute(
        "CREATE TABLE items (id bigint PRIMARY KEY, v text, n numeric(12,2))",
        "INSERT INTO items SELECT g, md5(g::text), g / 7.0 FROM generate_series(1, "
            + ROWS
            + ") g");
    Path yaml = at.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: items, table: items, mode: chunked, chunk_column: id, chunk_size: 100,
             format: parquet, destination: {type: local, path: ./out}}
        """
            .formatted(pg.jdbcUrl()));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    pg.execute(
        "UPDATE items SET v = 'changed' WHERE id BETWEEN 301 AND 305",
        "DELETE FROM items WHERE id = 550");
    return yaml;
  }

  /**
   * Reconcile matches everywhere; the directory holds exactly the manifest's parts (the ledger's),
   * each row once with its new value; the replaced parts are under {@code _retired/} (or, those a
   * killed repair left, {@code _quarantine/}).
   */
  private static void assertRepaired(Path yaml, Path out, List<String> before) throws Exception {
    Path after = yaml.resolveSibling("after-repair.json");
    CliRun check =
        CliRun.of("reconcile", "-c", yaml.toString(), "-e", "items", "-o", after.toString());
    assertThat(check.exitCode()).as(check.err() + Files.readString(after)).isZero();
    byte[] manifestBytes = Files.readAllBytes(out.resolve("manifest.json"));
    assertThat(Files.readString(out.resolve("_SUCCESS")))
        .isEqualTo(Manifest.successMarker(manifestBytes));
    Manifest m = Manifest.parse(manifestBytes);
    List<String> parts = ExportDirectory.visibleParts(out);
    assertThat(parts)
        .as("files = manifest")
        .containsExactlyInAnyOrderElementsOf(m.parts().stream().map(Manifest.Part::path).toList());
    assertThat(
            ExportDirectory.ledger(out.getParent().resolve(".rivet_state.db"), m.runId()).keySet())
        .as("ledger = manifest")
        .containsExactlyInAnyOrderElementsOf(parts);
    assertThat(m.rowCount()).isEqualTo(ROWS - 1);
    assertThat(parts.stream().filter(p -> !before.contains(p))).as("new parts").hasSize(2);
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE v = 'changed'),"
                        + " count(*) FILTER (WHERE id = 550) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly((long) ROWS - 1, (long) ROWS - 1, 5L, 0L);
    try (Stream<Path> aside = Files.walk(out)) {
      assertThat(
              aside.filter(
                  f ->
                      f.toString().endsWith(".parquet")
                          && (f.toString().contains("/_retired/")
                              || f.toString().contains("/_quarantine/"))))
          .as("the replaced parts are kept aside (a killed repair's leftovers quarantined)")
          .hasSizeGreaterThanOrEqualTo(2);
    }
  }
}
