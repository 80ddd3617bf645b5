package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rivet.core.check.PlanArtifact;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet plan} / {@code rivet apply}: the sealed artifact replays its stored chunk ranges
 * (rows inserted after planning, beyond them, are not read); a tampered artifact, an expired one
 * (unless {@code --force}), one whose config changed, one whose incremental cursor moved, and one
 * applied twice are each refused naming the fix; {@code apply rivet.yaml} runs waves in order and
 * {@code --resume} then skips the finished exports.
 */
class PlanApplyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path config(TestingPostgresServer pg, int chunkSize) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: t, table: t, mode: chunked, chunk_column: id, chunk_size: %d, format: parquet,
             destination: {type: local, path: ./out/t}}
          - {name: inc, table: t, mode: incremental, cursor_column: id, format: parquet,
             destination: {type: local, path: ./out/inc}}
          - {name: late, table: t, format: parquet, destination: {type: local, path: ./out/late}}
          - {name: w2, table: t, format: parquet, wave: 2, destination: {type: local, path: ./out/w2}}
          - {name: w1a, table: t, format: parquet, wave: 1, parallel_safe: true, source_group: g,
             destination: {type: local, path: ./out/w1a}}
          - {name: w1b, table: t, format: parquet, wave: 1, parallel_safe: true, source_group: g,
             destination: {type: local, path: ./out/w1b}}
        """
            .formatted(pg.jdbcUrl(), chunkSize));
    return yaml;
  }

  @Test
  void aSealedPlanReplaysItsChunksAndIsRefusedWhenItNoLongerHolds() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
      Path yaml = config(pg, 100);
      Path artifact = dir.resolve("t.plan.json");
      CliRun plan = CliRun.of("plan", "-c", yaml.toString(), "-e", "t", "-o", artifact.toString());
      assertThat(plan.exitCode()).as(plan.err()).isZero();
      PlanArtifact a = PlanArtifact.parse(Files.readAllBytes(artifact));
      assertThat(a.computed().chunkCount()).isEqualTo(10);
      assertThat(a.integrity()).startsWith("sha256:");
      assertThat(Files.readString(artifact)).doesNotContain("password");
      assertThat(dir.resolve("out")).as("planning writes nothing").doesNotExist();

      // Rows arrive after planning, beyond the planned ranges: the replay does not read them.
      pg.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1001, 1100) g");

      // Tampered: one chunk range widened inside the sealed plan.
      JsonNode tree = JSON.readTree(artifact.toFile());
      ((ObjectNode) tree.at("/resolved_plan/chunks/9")).put("hi", 2000);
      Path tampered = dir.resolve("tampered.plan.json");
      JSON.writeValue(tampered.toFile(), tree);
      CliRun bad = CliRun.of("apply", tampered.toString());
      assertThat(bad.exitCode()).isEqualTo(3);
      assertThat(bad.err()).contains("changed after it was sealed");

      // Expired: made 25 h ago (the age is outside the sealed plan, as in the original).
      JsonNode old = JSON.readTree(artifact.toFile());
      ((ObjectNode) old).put("created_at", Instant.now().minus(25, ChronoUnit.HOURS).toString());
      Path expired = dir.resolve("expired.plan.json");
      JSON.writeValue(expired.toFile(), old);
      CliRun tooOld = CliRun.of("apply", expired.toString());
      assertThat(tooOld.exitCode()).isEqualTo(1);
      assertThat(tooOld.err()).contains("plans last 24 h").contains("--force");

      CliRun apply = CliRun.of("apply", artifact.toString());
      assertThat(apply.exitCode()).as(apply.err()).isZero();
      assertThat(DuckDb.count(dir.resolve("out/t") + "/*.parquet"))
          .as("the planned ranges only")
          .isEqualTo(1000);
      assertThat(runIds(yaml, "t")).containsExactly(a.resolvedPlan().get("runId").asText());

      CliRun twice = CliRun.of("apply", artifact.toString());
      assertThat(twice.exitCode()).isEqualTo(1);
      assertThat(twice.err()).contains("applied already");

      // --force applies an old plan (a new one here, aged like the expired one).
      Path fresh = dir.resolve("fresh.plan.json");
      assertThat(
              CliRun.of("plan", "-c", yaml.toString(), "-e", "late", "-o", fresh.toString())
                  .exitCode())
          .isZero();
      JsonNode f = JSON.readTree(fresh.toFile());
      ((ObjectNode) f).put("created_at", Instant.now().minus(25, ChronoUnit.HOURS).toString());
      JSON.writeValue(fresh.toFile(), f);
      assertThat(CliRun.of("apply", fresh.toString(), "--force").exitCode()).isZero();

      // The config changed what the export means.
      Path incPlan = dir.resolve("inc.plan.json");
      assertThat(
              CliRun.of("plan", "-c", yaml.toString(), "-e", "inc", "-o", incPlan.toString())
                  .exitCode())
          .isZero();
      Path other = dir.resolve("t2.plan.json");
      assertThat(
              CliRun.of("plan", "-c", yaml.toString(), "-e", "t", "-o", other.toString())
                  .exitCode())
          .isZero();
      config(pg, 250);
      CliRun changed = CliRun.of("apply", other.toString());
      assertThat(changed.exitCode()).isEqualTo(1);
      assertThat(changed.err()).contains("[PLAN_CHANGED]").contains("rivet plan -c");

      // The incremental cursor moved since planning (a run exported the window).
      assertThat(CliRun.of("run", "-c", yaml.toString(), "-e", "inc").exitCode()).isZero();
      CliRun moved = CliRun.of("apply", incPlan.toString());
      assertThat(moved.exitCode()).isEqualTo(1);
      assertThat(moved.err()).contains("cursor of 'inc' moved");
    }
  }

  @Test
  void applyingAConfigRunsItsWavesInOrder() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 300) g");
      Path yaml = config(pg, 100);
      CliRun apply = CliRun.of("apply", yaml.toString());
      assertThat(apply.exitCode()).as(apply.err()).isZero();
      // Wave 1 (w1a, w1b: parallel-safe, but one source_group: one after the other), wave 2 (w2),
      // then the exports without a wave.
      List<String> order = runOrder(yaml);
      assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("w1a", "w1b");
      assertThat(order.get(2)).isEqualTo("w2");
      assertThat(order.subList(3, 6)).containsExactlyInAnyOrder("t", "inc", "late");
      for (String e : order) {
        assertThat(DuckDb.count(dir.resolve("out/" + e) + "/*.parquet")).as(e).isEqualTo(300);
      }
      assertThat(
              ApplyCommand.batches(
                  ConfigLoader.fromEnvironment(Map.of()).load(yaml).exports().stream()
                      .filter(e -> e.apply().wave() != null && e.apply().wave() == 1)
                      .toList()))
          .as("one source_group: never in one batch")
          .containsExactly(List.of("w1a"), List.of("w1b"));

      CliRun again = CliRun.of("apply", yaml.toString(), "--resume");
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(runOrder(yaml)).as("--resume skips the finished exports").hasSize(6);
    }
  }

  private static List<String> runIds(Path yaml, String export) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + yaml.resolveSibling(".rivet_state.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT run_id FROM runs WHERE export_name = '"
                    + export
                    + "' ORDER BY created_at")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every run's export, in the order the runs were created. */
  private static List<String> runOrder(Path yaml) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + yaml.resolveSibling(".rivet_state.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT export_name FROM runs ORDER BY created_at, rowid")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
