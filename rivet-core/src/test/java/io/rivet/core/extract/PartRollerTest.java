package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.RowSource;
import io.rivet.core.read.ValueSink;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parts cut at max_file_size where the key changes, named deterministically, committed in order
 * (CSV parts).
 */
class PartRollerTest {
  /** Temporary and committed parts, in memory. */
  private static final class MemoryStore implements PartStore {
    final Map<String, ByteArrayOutputStream> open = new LinkedHashMap<>();
    final List<String> committed = new ArrayList<>();
    final List<String> aborted = new ArrayList<>();

    @Override
    public OutputStream create(String partName) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      open.put(partName, out);
      return out;
    }

    @Override
    public String commit(String partName) {
      committed.add(partName);
      return null;
    }

    @Override
    public void abort(String partName) {
      aborted.add(partName);
    }
  }

  /** One row of one bigint column. */
  private static RowSource row(long v) {
    return new RowSource() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public long key(int index) {
        return v;
      }

      @Override
      public void markKey(int index) {}

      @Override
      public String markedKey() {
        return null;
      }

      @Override
      public void emit(ValueSink sink) {
        sink.writeLong(0, v);
      }

      @Override
      public boolean fetches() {
        return false;
      }

      @Override
      public void fetchSize(int rows) {}

      @Override
      public void abandon() {}

      @Override
      public void close() {}
    };
  }

  private static ExportPlan plan(FileFormat format, long maxFileSize) {
    return new ExportPlan(
        "t",
        "t_1",
        "sha256:abc",
        null,
        "SELECT * FROM t",
        List.of(),
        "id",
        List.of(ColumnMapping.of("id", "int8", ColumnKind.INT64)),
        List.of(ChunkSpec.range(3, 0, 100)),
        format,
        Compression.NONE,
        null,
        "/out",
        "t_x",
        1000,
        5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED),
        false,
        false,
        false,
        "jdbc:sqlite::memory:",
        "chunked",
        null,
        maxFileSize,
        null,
        2.0,
        0);
  }

  private final MemoryStore store = new MemoryStore();

  @Test
  void aKeyedReadCutsFullPartsOnlyWhereTheKeyChanges() throws Exception {
    ChunkSpec chunk = ChunkSpec.range(3, 0, 100);
    // one byte: a part is full after its first row (Parquet counts the values it buffers)
    PartRoller parts = new PartRoller(plan(FileFormat.PARQUET, 1), chunk, store, 0, true);
    long previous = Long.MIN_VALUE;
    for (long key : new long[] {0, 1, 1, 1, 2, 50}) {
      parts.writerFor(key, previous).write(row(key));
      previous = key;
    }
    parts.finishOpen();
    // every new key starts the next part; a repeated key stays in its part
    assertThat(store.committed)
        .containsExactly(
            "t_x_chunk3_k0.parquet",
            "t_x_chunk3_k1.parquet",
            "t_x_chunk3_k2.parquet",
            "t_x_chunk3_k50.parquet");
    assertThat(parts.finished())
        .extracting(PartRoller.Finished::startKey)
        .containsExactly(0L, 1L, 2L, 50L);
    assertThat(parts.finished())
        .extracting(PartRoller.Finished::endKey)
        .containsExactly(1L, 2L, 50L, Long.MAX_VALUE);
    assertThat(parts.finished()).extracting(f -> f.result().rows()).containsExactly(1L, 3L, 1L, 1L);
  }

  @Test
  void anIndivisibleChunkNumbersItsParts() throws Exception {
    ChunkSpec chunk = ChunkSpec.whole(0);
    PartRoller parts = new PartRoller(plan(FileFormat.PARQUET, 1), chunk, store, 0, false);
    for (long v = 0; v < 3; v++) {
      parts.writerFor(0, Long.MIN_VALUE).write(row(v));
    }
    parts.finishOpen();
    assertThat(store.committed)
        .containsExactly(
            "t_x_chunk0_all.parquet",
            "t_x_chunk0_all_part2.parquet",
            "t_x_chunk0_all_part3.parquet");
  }

  @Test
  void withoutMaxFileSizeOnePartTakesEveryRow() throws Exception {
    PartRoller parts =
        new PartRoller(plan(FileFormat.CSV, 0), ChunkSpec.range(3, 0, 100), store, 0, true);
    for (long key = 0; key < 50; key++) {
      parts.writerFor(key, key - 1).write(row(key));
    }
    parts.finishOpen();
    assertThat(store.committed).containsExactly("t_x_chunk3_k0.csv");
    assertThat(parts.finished().get(0).result().rows()).isEqualTo(50);
    assertThat(store.open.get("t_x_chunk3_k0.csv").toString(StandardCharsets.UTF_8))
        .startsWith("\"id\"\r\n\"0\"\r\n\"1\"\r\n");
  }

  @Test
  void anAbortedPartIsNeverCommitted() throws Exception {
    PartRoller parts =
        new PartRoller(plan(FileFormat.CSV, 0), ChunkSpec.range(3, 0, 100), store, 0, true);
    parts.writerFor(7, Long.MIN_VALUE).write(row(7));
    parts.abort();
    assertThat(store.aborted).containsExactly("t_x_chunk3_k0.csv");
    assertThat(store.committed).isEmpty();
    assertThat(parts.finished()).isEmpty();
  }
}
