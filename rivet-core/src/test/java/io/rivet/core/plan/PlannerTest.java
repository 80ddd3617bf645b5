package io.rivet.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static ExportConfig export(String extra) {
    return new ConfigLoader(Map.of(), Map.of())
        .parse(
            """
        source: {type: postgres, url: "postgresql://localhost/db"}
        exports:
          - {name: t, query: "select * from t", mode: chunked, chunk_column: id, format: parquet,
             destination: {type: local, path: ./o}%s}
        """
                .formatted(extra),
            Path.of("/tmp/rivet.yaml"))
        .exports()
        .get(0);
  }

  @Test
  void cutsContiguousHalfOpenRanges() {
    assertThat(Planner.ranges(export(", chunk_size: 10"), 1, 25))
        .containsExactly(
            ChunkSpec.range(0, 1, 11), ChunkSpec.range(1, 11, 21), ChunkSpec.range(2, 21, 26));
    assertThat(Planner.ranges(export(", chunk_size: 10"), 5, 5))
        .containsExactly(ChunkSpec.range(0, 5, 6));
    assertThat(Planner.ranges(export(", chunk_size: 100"), -50, 49))
        .containsExactly(ChunkSpec.range(0, -50, 50));
  }

  @Test
  void chunkCountDividesTheSpan() {
    List<ChunkSpec> r = Planner.ranges(export(", chunk_count: 3"), 0, 9);
    assertThat(r)
        .containsExactly(
            ChunkSpec.range(0, 0, 4), ChunkSpec.range(1, 4, 8), ChunkSpec.range(2, 8, 10));
  }

  @Test
  void extremeKeysAreRefusedClearly() {
    assertThatThrownBy(() -> Planner.ranges(export(""), 0, Long.MAX_VALUE))
        .hasMessageContaining("not supported yet");
    assertThatThrownBy(() -> Planner.ranges(export(""), Long.MIN_VALUE, 0))
        .hasMessageContaining("2^63");
    assertThatThrownBy(() -> Planner.ranges(export(", chunk_size: 1"), 0, 5_000_000))
        .hasMessageContaining(
            "exports[t].chunk_size: 1 would cut keys 0..5000000 into more than 1000000 chunks");
  }

  @Test
  void chunkSizeMemoryMbIsTheBudgetOverTheAverageRowWithinBounds() {
    assertThat(Planner.memoryChunkRows(256, OptionalLong.of(512))).isEqualTo(524_288);
    assertThat(Planner.memoryChunkRows(20, OptionalLong.of(1_170))).isEqualTo(17_924);
    assertThat(Planner.memoryChunkRows(256, OptionalLong.empty()))
        .as("unknown: 512 bytes")
        .isEqualTo(524_288);
    assertThat(Planner.memoryChunkRows(64, OptionalLong.of(0)))
        .as("zero: unknown")
        .isEqualTo(131_072);
    assertThat(Planner.memoryChunkRows(1, OptionalLong.of(1_000)))
        .as("at least 10,000")
        .isEqualTo(10_000);
    assertThat(Planner.memoryChunkRows(4096, OptionalLong.of(20)))
        .as("at most 5,000,000")
        .isEqualTo(5_000_000);
  }

  @Test
  void planHashKeepsItsValueWithoutChunkSizeMemoryMbAndChangesWithIt() {
    String table =
        """
        source: {type: postgres, url: "postgresql://localhost/db"}
        exports:
          - {name: t, table: t, mode: chunked, format: parquet, destination: {type: local, path: ./o}%s}
        """;
    ExportConfig plain =
        new ConfigLoader(Map.of(), Map.of())
            .parse(table.formatted(""), Path.of("/tmp/rivet.yaml"))
            .exports()
            .get(0);
    ExportConfig sized =
        new ConfigLoader(Map.of(), Map.of())
            .parse(table.formatted(", chunk_size_memory_mb: 64"), Path.of("/tmp/rivet.yaml"))
            .exports()
            .get(0);
    assertThat(PlanHash.of(plain))
        .as("the hash of runs planned before the key existed")
        .isEqualTo(
            "sha256:"
                + PlanHash.sha256(
                        String.join(
                            "\u0000",
                            "null",
                            "t",
                            "CHUNKED",
                            "null",
                            "null",
                            "false",
                            "null",
                            "100000",
                            "null",
                            "PARQUET",
                            "ZSTD",
                            "null",
                            "./o",
                            "{}",
                            String.valueOf(plain.metaColumns())))
                    .substring(0, 16));
    assertThat(PlanHash.of(sized)).isNotEqualTo(PlanHash.of(plain));
  }

  @Test
  void planHashChangesWithChunkingButNotWithParallelism() {
    assertThat(PlanHash.of(export(", chunk_size: 10")))
        .isEqualTo(PlanHash.of(export(", chunk_size: 10, parallel: 4")));
    assertThat(PlanHash.of(export(", chunk_size: 10")))
        .isNotEqualTo(PlanHash.of(export(", chunk_size: 11")));
  }
}
