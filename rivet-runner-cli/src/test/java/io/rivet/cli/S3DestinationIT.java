package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An S3 destination against a real S3 protocol peer (S3Mock): full export, a kill mid-upload leaves
 * no visible partial object and resumes to every row once, the manifest verified by reading back
 * every part.
 */
class S3DestinationIT {
  private static final int ROWS = 40_000;
  private static final String BUCKET = "lake";
  private static TestingPostgresServer pg;
  private static S3Emulator s3;

  @TempDir static Path root;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text, at timestamptz)",
        "INSERT INTO t SELECT g, md5(g::text), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'"
            + " FROM generate_series(1, "
            + ROWS
            + ") g");
    s3 = new S3Emulator(Files.createDirectories(root.resolve("store")), BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    pg.close();
  }

  private Path config(String prefix) throws Exception {
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
            parallel: 2
            format: parquet
            quality: {row_count_min: 1, unique_columns: [id]}
            destination:
              type: s3
              bucket: %s
              prefix: "%s/{export}/"
              region: us-east-1
              endpoint: %s
              access_key_env: RIVET_TEST_S3_KEY
              secret_key_env: RIVET_TEST_S3_SECRET
        """
            .formatted(pg.jdbcUrl(), BUCKET, prefix, s3.endpoint()));
    return yaml;
  }

  private static Map<String, String> env(String failAt) {
    return failAt == null
        ? Map.of("RIVET_TEST_S3_KEY", S3Emulator.KEY, "RIVET_TEST_S3_SECRET", S3Emulator.SECRET)
        : Map.of(
            "RIVET_TEST_S3_KEY",
            S3Emulator.KEY,
            "RIVET_TEST_S3_SECRET",
            S3Emulator.SECRET,
            "RIVET_TEST_FAIL_AT",
            failAt);
  }

  private void assertExactlyOnce(String prefix) throws Exception {
    Path local = dir.resolve("download");
    s3.download(BUCKET, prefix + "/t/", local);
    byte[] manifest = Files.readAllBytes(local.resolve("manifest.json"));
    assertThat(Files.readString(local.resolve("_SUCCESS")))
        .isEqualTo(Manifest.successMarker(manifest));
    Manifest m = Manifest.parse(manifest);
    assertThat(m.destination().uri()).isEqualTo("s3://" + BUCKET + "/" + prefix + "/t");
    List<String> parquet =
        s3.keys(BUCKET, prefix + "/t/").stream()
            .filter(k -> k.endsWith(".parquet"))
            .map(k -> k.substring(k.lastIndexOf('/') + 1))
            .sorted()
            .toList();
    assertThat(m.parts())
        .extracting(Manifest.Part::path)
        .containsExactlyInAnyOrderElementsOf(parquet);
    for (Manifest.Part p : m.parts()) {
      assertThat(Files.size(local.resolve(p.path()))).isEqualTo(p.sizeBytes());
      assertThat(DuckDb.count(local.resolve(p.path()).toString())).isEqualTo(p.rows());
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('"
                        + local
                        + "/*.parquet')")
                .get(0))
        .containsExactly(
            (long) ROWS, (long) ROWS, BigInteger.valueOf((long) ROWS * (ROWS + 1) / 2));
  }

  @Test
  void exportsToS3WithTheSameCommitContract() throws Exception {
    RivetProcess p =
        RivetProcess.run(dir.resolve("run.log"), env(null), "run", "-c", config("full").toString());
    assertThat(p.exitCode()).as(p.output()).isZero();
    assertExactlyOnce("full");
    assertThat(s3.keys(BUCKET, "full/")).noneMatch(k -> k.endsWith(".tmp"));
  }

  @Test
  void aKillMidUploadLeavesNoPartialObjectAndResumes() throws Exception {
    Path yaml = config("crash");
    RivetProcess killed =
        RivetProcess.run(
            dir.resolve("killed.log"), env("mid-chunk:4"), "run", "-c", yaml.toString());
    assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
    List<String> visible = s3.keys(BUCKET, "crash/t/");
    assertThat(visible).noneMatch(k -> k.endsWith("_SUCCESS") || k.endsWith("manifest.json"));
    Path check = dir.resolve("visible");
    s3.download(BUCKET, "crash/t/", check);
    try (var files = Files.list(check)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        assertThat(DuckDb.count(f.toString()))
            .as("every visible object is a whole part: %s", f.getFileName())
            .isPositive();
      }
    }
    RivetProcess resumed =
        RivetProcess.run(
            dir.resolve("resumed.log"), env(null), "run", "-c", yaml.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.output()).isZero();
    assertExactlyOnce("crash");
  }

  @Test
  void anAwsProfileFromTheSharedCredentialsFileSignsTheRequests() throws Exception {
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(
        credentials,
        "[rivet-test]\naws_access_key_id = "
            + S3Emulator.KEY
            + "\naws_secret_access_key = "
            + S3Emulator.SECRET
            + "\n");
    Path yaml = dir.resolve("profile.yaml");
    Files.writeString(
        yaml,
        Files.readString(config("profile"))
            .replace(
                "access_key_env: RIVET_TEST_S3_KEY\n      secret_key_env: RIVET_TEST_S3_SECRET",
                "aws_profile: rivet-test"));
    assertThat(Files.readString(yaml))
        .contains("aws_profile: rivet-test")
        .doesNotContain("access_key_env");
    RivetProcess p =
        RivetProcess.run(
            dir.resolve("profile.log"),
            Map.of(
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(),
                "AWS_CONFIG_FILE",
                credentials.toString()),
            "run",
            "-c",
            yaml.toString());
    assertThat(p.exitCode()).as(p.output()).isZero();
    assertExactlyOnce("profile");
  }
}
