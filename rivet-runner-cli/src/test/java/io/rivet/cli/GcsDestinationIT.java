package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GCS destination against the in-project JSON-API fake: parts, manifest and _SUCCESS, read back
 * part by part.
 */
class GcsDestinationIT {
  @TempDir Path dir;

  @Test
  void exportsToGcsWithTheSameCommitContract() throws Exception {
    int rows = 12_000;
    try (TestingPostgresServer pg = new TestingPostgresServer();
        FakeGcs gcs = new FakeGcs("lake")) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + rows + ") g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 3000, format: parquet,
               destination: {type: gcs, bucket: lake, prefix: "g/{export}/", endpoint: "%s", allow_anonymous: true}}
          """
              .formatted(pg.jdbcUrl(), gcs.endpoint()));
      RivetProcess p =
          RivetProcess.run(dir.resolve("run.log"), Map.of(), "run", "-c", yaml.toString());
      assertThat(p.exitCode()).as(p.output()).isZero();
      Path local = Files.createDirectories(dir.resolve("download"));
      for (String name : gcs.names("lake")) {
        Files.write(
            local.resolve(name.substring(name.lastIndexOf('/') + 1)), gcs.get("lake", name));
      }
      byte[] manifest = Files.readAllBytes(local.resolve("manifest.json"));
      assertThat(Files.readString(local.resolve("_SUCCESS")))
          .isEqualTo(Manifest.successMarker(manifest));
      Manifest m = Manifest.parse(manifest);
      assertThat(m.destination().uri()).isEqualTo("gs://lake/g/t");
      assertThat(m.partCount()).isEqualTo(4);
      assertThat(gcs.names("lake"))
          .hasSize(7)
          .allMatch(n -> n.startsWith("g/t/"))
          .contains("g/t/_rivet_owner.json");
      for (Manifest.Part part : m.parts()) {
        assertThat(Files.size(local.resolve(part.path()))).isEqualTo(part.sizeBytes());
      }
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                          + local
                          + "/*.parquet')")
                  .get(0))
          .containsExactly((long) rows, (long) rows);
    }
  }

  /**
   * A committed object replaced by other bytes of the same size (another writer, a tool) is caught
   * by the MD5 GCS reports, without downloading: the resume quarantines it, rewrites it, and
   * publishes only verified parts.
   */
  @Test
  void anObjectReplacedAfterItsCommitIsRewrittenNotPublished() throws Exception {
    int rows = 12_000;
    try (TestingPostgresServer pg = new TestingPostgresServer();
        FakeGcs gcs = new FakeGcs("lake")) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + rows + ") g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 3000, format: parquet,
               destination: {type: gcs, bucket: lake, prefix: "g/{export}/", endpoint: "%s", allow_anonymous: true}}
          """
              .formatted(pg.jdbcUrl(), gcs.endpoint()));
      RivetProcess killed =
          RivetProcess.run(
              dir.resolve("killed.log"),
              Map.of("RIVET_TEST_FAIL_AT", "before-manifest"),
              "run",
              "-c",
              yaml.toString());
      assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
      String victim =
          gcs.names("lake").stream()
              .filter(n -> n.endsWith("_chunk1_k3001.parquet"))
              .findFirst()
              .orElseThrow();
      byte[] original = gcs.get("lake", victim);
      byte[] other = original.clone();
      other[other.length / 2] ^= 0x5a;
      gcs.put("lake", victim, other);

      RivetProcess resumed =
          RivetProcess.run(
              dir.resolve("resumed.log"), Map.of(), "run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.output()).isZero();
      assertThat(resumed.output()).contains("different bytes");
      String file = victim.substring(victim.lastIndexOf('/') + 1);
      assertThat(gcs.names("lake")).anyMatch(n -> n.contains("/_quarantine/") && n.endsWith(file));
      assertThat(gcs.get("lake", victim)).isNotEqualTo(other);
      Manifest m = Manifest.parse(gcs.get("lake", "g/t/manifest.json"));
      for (Manifest.Part part : m.parts()) {
        assertThat(ExportDirectory.sha256bytes(gcs.get("lake", "g/t/" + part.path())))
            .isEqualTo(part.contentFingerprint());
      }
      assertThat(m.rowCount()).isEqualTo(rows);
    }
  }
}
