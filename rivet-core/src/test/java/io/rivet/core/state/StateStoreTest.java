package io.rivet.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir
  Path dir;

  private ExportPlan plan(String url) {
    return new ExportPlan("orders", "orders_1", "sha256:abc", null, "SELECT * FROM t", List.of(), "id",
        List.of(ColumnMapping.of("id", "int8", ColumnKind.INT64)),
        List.of(ChunkSpec.range(0, 1, 101), ChunkSpec.range(1, 101, 201), ChunkSpec.nullKeys(2)),
        FileFormat.PARQUET, Compression.ZSTD, null, "/out", "orders_x", 1000, 5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED), false, false, false, url, "chunked", null, 0, null, 2.0, 0);
  }

  private String url() {
    return "jdbc:sqlite:" + dir.resolve(".rivet_state.db");
  }

  @Test
  void storesThePlanAndItsChunksAsPending() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      assertThat(s.unfinishedRun("orders")).map(RunRecord::runId).contains("orders_1");
      assertThat(s.chunks("orders_1")).extracting(ChunkTask::status).containsOnly(ChunkTask.PENDING);
      ExportPlan back = s.loadPlan("orders_1");
      assertThat(back.chunks()).isEqualTo(plan(url()).chunks());
      assertThat(back.columns()).isEqualTo(plan(url()).columns());
      assertThat(back.connection()).isNull();
    }
  }

  @Test
  void aChunkCompletesOnlyWhenItsPartsCoverItsRange() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.chunkStarted("orders_1", 0);
      s.commitPart(new PartRecord("orders_1", "orders", 0, 1, 50, "p1", 10, 100, "sha256:1", null));
      assertThat(s.chunks("orders_1").get(0).status()).isEqualTo(ChunkTask.RUNNING);
      s.commitPart(PartRecord.empty("orders_1", "orders", 0, 50, 101));
      assertThat(s.chunks("orders_1").get(0).status()).isEqualTo(ChunkTask.COMPLETED);
      assertThat(s.chunks("orders_1").get(0).rowsWritten()).isEqualTo(10);
      // idempotent: a retried commit of the same part changes nothing
      s.commitPart(new PartRecord("orders_1", "orders", 0, 1, 50, "p1", 10, 100, "sha256:1", null));
      assertThat(s.parts("orders_1")).hasSize(2);
      assertThat(s.parts("orders_1").stream().filter(PartRecord::isFile)).hasSize(1);
    }
  }

  @Test
  void statesOnlyMoveForwardAndResumeResetsRunningChunks() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.chunkStarted("orders_1", 1);
      s.chunkStarted("orders_1", 1);
      assertThat(s.chunks("orders_1").get(1).attempts()).isEqualTo(1);
      s.chunkFailed("orders_1", 1, "boom");
      s.chunkStarted("orders_1", 1);
      assertThat(s.chunks("orders_1").get(1).attempts()).isEqualTo(2);
      s.commitPart(new PartRecord("orders_1", "orders", 1, 101, 201, "p2", 5, 50, "sha256:2", null));
      s.chunkStarted("orders_1", 1);
      s.chunkFailed("orders_1", 1, "late");
      assertThat(s.chunks("orders_1").get(1).status()).isEqualTo(ChunkTask.COMPLETED);
      s.chunkStarted("orders_1", 2);
      s.resetRunning("orders_1");
      assertThat(s.chunks("orders_1").get(2).status()).isEqualTo(ChunkTask.PENDING);
      s.finishRun("orders_1", RunRecord.COMPLETED);
      assertThat(s.unfinishedRun("orders")).isEmpty();
    }
  }

  @Test
  void reopeningKeepsStateAndDoesNotRemigrate() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.journal("orders_1", "orders", "PlanResolved", "{}");
    }
    try (StateStore s = StateStore.open(url())) {
      assertThat(s.run("orders_1")).isPresent();
      assertThat(s.journal("orders_1")).containsExactly("PlanResolved");
    }
  }
}
