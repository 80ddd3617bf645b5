package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.examples.FlinkClusterExportJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet run --runner=FlinkRunner --flinkMaster=localhost:<port>} against a real Flink 1.19
 * session cluster — a JobManager and two TaskManagers, each its own JVM, with no rivet class on
 * their classpath (the job's jars are staged by the runner) — reading PostgreSQL, keeping state in
 * a PostgreSQL store every worker reaches, writing to an S3 emulator they all share. Then the same
 * export with a TaskManager killed (SIGKILL) while it works: Flink's restart strategy reruns the
 * job on the survivor, the ledger skips what was committed, and the export completes with no
 * operator action. Each time DuckDB finds every row exactly once, and manifest = objects = ledger.
 */
class FlinkClusterIT {
  private static final int ROWS = 60_000;
  private static final String BUCKET = "lake";
  private static final String PASSWORD = "fl1nk-Src-Pa55";

  @TempDir static Path root;

  private static TestingPostgresServer pg;
  private static S3Emulator s3;
  private static TestingFlinkCluster flink;
  private static Map<String, String> env;

  private static Path launcher;

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
    // What every machine of the platform has: the URLs (with the password — the embedded server
    // trusts local logins, so it only has to not travel) and the bucket's keys.
    String url =
        pg.jdbcUrl()
            .replaceFirst(
                "^jdbc:postgresql://([^/]+)/([^?]*).*$",
                "postgresql://postgres:" + PASSWORD + "@$1/$2");
    env =
        Map.of(
            "RIVET_SOURCE_URL",
            url,
            "RIVET_STATE_URL",
            url,
            "RIVET_S3_KEY",
            S3Emulator.KEY,
            "RIVET_S3_SECRET",
            S3Emulator.SECRET);
    // The launcher's files (config, query file) live under root, which the cluster cannot see.
    launcher = Files.createDirectories(root.resolve("launcher"));
    flink =
        new TestingFlinkCluster(
            Path.of("target", "flink-cluster-" + ProcessHandle.current().pid()),
            2,
            2,
            env,
            List.of(root));
  }

  @AfterAll
  static void stop() throws Exception {
    if (flink != null) {
      flink.close();
    }
    s3.close();
    pg.close();
  }

  private Path config(String prefix, String schema, String tuning) throws Exception {
    Path dir = Files.createDirectories(launcher.resolve(prefix));
    Files.writeString(dir.resolve("t.sql"), "SELECT id, v, at FROM t");
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url_env: RIVET_SOURCE_URL}
        state: {url_env: RIVET_STATE_URL, schema: %s}
        exports:
          - name: t
            query_file: t.sql
            chunk_column: id
            mode: chunked
            chunk_size: 2500
            parallel: 2
            format: parquet
            tuning: %s
            destination:
              type: s3
              bucket: %s
              prefix: "%s/{export}/"
              region: us-east-1
              endpoint: %s
              access_key_env: RIVET_S3_KEY
              secret_key_env: RIVET_S3_SECRET
        """
            .formatted(schema, tuning, BUCKET, prefix, s3.endpoint()));
    return yaml;
  }

  private Process launch(Path yaml, Path log) throws Exception {
    List<String> cmd =
        RivetChild.command(
            "run",
            "-c",
            yaml.toString(),
            "--runner=FlinkRunner",
            "--flinkMaster=" + flink.master());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String stateUrl(String schema) {
    return pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Test
  void aChunkedExportRunsOnTheClusterAndEveryRowArrivesOnce() throws Exception {
    Path yaml = config("plain", "rivet_plain", "{}");
    assertThat(flink.canSee(yaml)).as("the workers cannot read the launcher's files").isFalse();
    assertThat(flink.canSee(Path.of("pom.xml"))).as("control").isTrue();
    Path log = launcher.resolve("plain.log");
    Process run = launch(yaml, log);
    assertThat(run.waitFor(300, TimeUnit.SECONDS)).as("the run ends").isTrue();
    assertThat(run.exitValue()).as(Files.readString(log)).isZero();
    assertThat(flink.get("/jobs/overview")).as("the job ran on the cluster").contains("FINISHED");
    assertExactlyOnce("plain", "rivet_plain");
    assertThat(Files.readString(log)).doesNotContain(PASSWORD);
  }

  @Test
  void aTaskManagerKilledMidRunIsRecoveredByFlinkAndEveryRowArrivesOnce() throws Exception {
    String schema = "rivet_failover";
    Path log = launcher.resolve("failover.log");
    java.util.Set<String> before = flink.jobIds();
    // Slow reads (batches of 500 rows, 150 ms apart) so that the kill lands while chunks are read.
    Process run = launch(config("failover", schema, "{batch_size: 500, throttle_ms: 150}"), log);
    // Wait until some parts are committed, then kill the first TaskManager.
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    int committed = 0;
    while (committed < 4 && Instant.now().isBefore(deadline) && run.isAlive()) {
      Thread.sleep(250);
      committed = committedParts(schema);
    }
    assertThat(run.isAlive()).as(Files.readString(log)).isTrue();
    assertThat(committed).as("parts committed before the kill").isGreaterThanOrEqualTo(4);
    assertThat(committed).as("the kill lands mid-run").isLessThan(ROWS / 2500);
    Process victim = flink.taskManagers().get(0);
    victim.destroyForcibly(); // SIGKILL
    victim.waitFor();

    assertThat(run.waitFor(400, TimeUnit.SECONDS)).as("the run ends").isTrue();
    String out = Files.readString(log);
    assertThat(run.exitValue()).as(out).isZero();
    java.util.Set<String> jobs = flink.jobIds();
    jobs.removeAll(before);
    assertThat(jobs).as("one job was submitted").hasSize(1);
    String jobId = jobs.iterator().next();
    assertThat(flink.get("/jobs/" + jobId)).contains("\"state\":\"FINISHED\"");
    assertThat(flink.get("/jobs/" + jobId + "/exceptions"))
        .as("Flink restarted the job after losing the TaskManager")
        .containsAnyOf("TaskManager", "taskmanager", "Connection", "heartbeat");
    assertExactlyOnce("failover", schema);
  }

  private static int committedParts(String schema) {
    try (StateStore state = StateStore.open(stateUrl(schema))) {
      return (int) state.files("t", 1000).size();
    } catch (RuntimeException notYet) {
      return 0;
    }
  }

  private void assertExactlyOnce(String prefix, String schema) throws Exception {
    assertExactlyOnce(prefix, schema, "t");
  }

  private void assertExactlyOnce(String prefix, String schema, String table) throws Exception {
    Path local = launcher.resolve("download-" + prefix);
    s3.download(BUCKET, prefix + "/" + table + "/", local);
    assertThat(local.resolve("manifest.json"))
        .as("the bucket holds %s", s3.keys(BUCKET, ""))
        .exists();
    byte[] manifest = Files.readAllBytes(local.resolve("manifest.json"));
    assertThat(Files.readString(local.resolve("_SUCCESS")))
        .isEqualTo(Manifest.successMarker(manifest));
    Manifest m = Manifest.parse(manifest);
    List<String> visible =
        s3.keys(BUCKET, prefix + "/" + table + "/").stream()
            .filter(k -> !k.contains("/_quarantine/") && !k.contains("/_retired/"))
            .filter(k -> k.endsWith(".parquet"))
            .map(k -> k.substring(k.lastIndexOf('/') + 1))
            .toList();
    assertThat(m.parts())
        .extracting(Manifest.Part::path)
        .as("manifest = visible objects (no orphan part)")
        .containsExactlyInAnyOrderElementsOf(visible);
    try (StateStore state = StateStore.open(stateUrl(schema))) {
      assertThat(state.parts(m.runId()).stream().filter(PartRecord::isFile))
          .extracting(PartRecord::fileName)
          .as("manifest = ledger")
          .containsExactlyInAnyOrderElementsOf(visible);
    }
    for (Manifest.Part p : m.parts()) {
      assertThat(Files.size(local.resolve(p.path()))).isEqualTo(p.sizeBytes());
    }
    List<Object> source;
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(id) FROM " + table)) {
      rs.next();
      source = List.of(rs.getLong(1), rs.getLong(1), rs.getBigDecimal(2).toBigInteger());
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('"
                        + local
                        + "/*.parquet')")
                .get(0))
        .containsExactlyElementsOf(source);
  }

  /**
   * The examples' {@code FlinkClusterExportJob} — {@code RivetIO.export()} planned on the cluster
   * as the job's first step — over a skewed table: the chunk holding most of its rows is cut and
   * its restrictions are read by the cluster's workers at the same time; every row arrives once.
   */
  @Test
  void theExampleJobRunsOnTheClusterAndReadsTheHotChunkOnSeveralWorkersAtOnce() throws Exception {
    pg.execute(
        "CREATE TABLE s (id bigint PRIMARY KEY, v text)",
        "INSERT INTO s SELECT g * 400, md5(g::text) FROM generate_series(0, 9999) g",
        "INSERT INTO s SELECT g, md5(g::text) FROM generate_series(1300001, 1380000) g"
            + " WHERE g % 400 <> 0",
        "ANALYZE s");
    Path dir = Files.createDirectories(launcher.resolve("skew"));
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url_env: RIVET_SOURCE_URL}
        state: {url_env: RIVET_STATE_URL, schema: rivet_skew}
        exports:
          - name: s
            table: s
            mode: chunked
            chunk_column: id
            chunk_size: 1000000
            parallel: 4
            format: parquet
            tuning: {batch_size: 1000, throttle_ms: 30}
            destination:
              type: s3
              bucket: %s
              prefix: "skew/{export}/"
              region: us-east-1
              endpoint: %s
              access_key_env: RIVET_S3_KEY
              secret_key_env: RIVET_S3_SECRET
        """
            .formatted(BUCKET, s3.endpoint()));
    Path log = launcher.resolve("example.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                RivetChild.java(
                    FlinkClusterExportJob.class.getName(),
                    yaml.toString(),
                    "--flinkMaster=" + flink.master(),
                    // Two: the failover test may have left one TaskManager (two slots).
                    "--parallelism=2"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process run = pb.start();
    assertThat(run.waitFor(300, TimeUnit.SECONDS)).as("the job ends").isTrue();
    String out = Files.readString(log);
    assertThat(run.exitValue()).as(out).isZero();
    assertThat(out).as(out).contains("job DONE: 1 export(s) succeeded, 0 failed");
    assertThat(out).doesNotContain(PASSWORD);
    assertExactlyOnce("skew", "rivet_skew", "s");
    try (Connection c = pg.connect();
        Statement st = c.createStatement()) {
      HotChunkEvidence.assertReadAtOnce(st, "rivet_skew.");
    }
  }
}
