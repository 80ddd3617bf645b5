package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Azure Blob destination against azurite: full export read back part by part; an expired SAS is
 * refused.
 */
class AzureDestinationIT {
  private static final int ROWS = 25_000;
  private static TestingPostgresServer pg;
  private static AzuriteEmulator azure;

  @TempDir static Path root;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
    azure = new AzuriteEmulator(root.resolve("azurite.log"));
    azure.container("lake");
  }

  @AfterAll
  static void stop() throws Exception {
    azure.close();
    pg.close();
  }

  private Path config(String credentials) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: t
            table: t
            mode: chunked
            chunk_size: 5000
            format: parquet
            destination: {type: azure, account_name: %s, container: lake, prefix: "az/{export}/", endpoint: "%s", %s}
        """
            .formatted(pg.jdbcUrl(), AzuriteEmulator.ACCOUNT, azure.endpoint(), credentials));
    return yaml;
  }

  @Test
  void exportsToAzureBlobWithTheSameCommitContract() throws Exception {
    RivetProcess p =
        RivetProcess.run(
            dir.resolve("run.log"),
            Map.of("AZ_KEY", AzuriteEmulator.KEY),
            "run",
            "-c",
            config("account_key_env: AZ_KEY").toString());
    assertThat(p.exitCode()).as(p.output()).isZero();
    Path local = dir.resolve("download");
    azure.download("lake", "az/t/", local);
    byte[] manifest = Files.readAllBytes(local.resolve("manifest.json"));
    assertThat(Files.readString(local.resolve("_SUCCESS")))
        .isEqualTo(Manifest.successMarker(manifest));
    Manifest m = Manifest.parse(manifest);
    assertThat(m.destination().uri()).isEqualTo("azfs://" + AzuriteEmulator.ACCOUNT + "/lake/az/t");
    assertThat(m.partCount()).isEqualTo(5);
    for (Manifest.Part part : m.parts()) {
      assertThat(Files.size(local.resolve(part.path()))).isEqualTo(part.sizeBytes());
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + local
                        + "/*.parquet')")
                .get(0))
        .containsExactly((long) ROWS, (long) ROWS);
    assertThat(azure.names("lake", "az/")).noneMatch(n -> n.endsWith(".tmp"));
  }

  @Test
  void anExpiredSasTokenIsRefusedBeforeAnythingIsWritten() throws Exception {
    RivetProcess p =
        RivetProcess.run(
            dir.resolve("sas.log"),
            Map.of(
                "AZ_SAS", "sv=2022-11-02&ss=b&srt=co&sp=rwdl&se=2020-01-01T00:00:00Z&sig=abc%3D"),
            "run",
            "-c",
            config("sas_token_env: AZ_SAS").toString());
    assertThat(p.exitCode()).isEqualTo(1);
    assertThat(p.output())
        .contains(
            "exports[t].destination.sas_token_env: the SAS token expired at 2020-01-01T00:00:00Z")
        .doesNotContain("sig=abc");
  }
}
