package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * An export's DoFns carry its plan as one byte array, made once and shared, that survives Java
 * serialization (as every runner ships a DoFn).
 */
class SerializedPlanTest {
  static ExportPlan plan(String name, int chunks) {
    List<ChunkSpec> specs = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      specs.add(ChunkSpec.range(i, i * 100L + 1, (i + 1) * 100L + 1));
    }
    return new ExportPlan(
        name,
        name + "_1",
        "sha256:abc",
        null,
        "SELECT * FROM t",
        List.of(),
        "id",
        List.of(
            ColumnMapping.of("id", "int8", ColumnKind.INT64),
            ColumnMapping.of("s", "text", ColumnKind.STRING)),
        specs,
        FileFormat.PARQUET,
        Compression.ZSTD,
        null,
        "/out/" + name,
        name + "_x",
        1000,
        5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED),
        false,
        false,
        false,
        "jdbc:sqlite:/tmp/s.db",
        "chunked",
        null,
        0,
        null,
        2.0,
        0);
  }

  @Test
  void thePlanSurvivesTheDoFnsSerializationIsDecodedOnceAndSharedByBothSteps() {
    ExportPlan a = plan("a", 500);
    SerializedPlan shared = new SerializedPlan(a);
    ExtractChunkFn extract = new ExtractChunkFn(shared, 2, null);
    FinalizeExportFn finalize = new FinalizeExportFn(shared, null);

    SerializedPlan carried = SerializableUtils.clone(extract).plan();
    assertThat(carried.get().chunks()).isEqualTo(a.chunks());
    assertThat(carried.get().columns()).isEqualTo(a.columns());
    assertThat(carried.get()).isSameAs(carried.get());
    // Each DoFn serializes as the plan's bytes plus a little: no second copy of the plan as
    // objects.
    assertThat(SerializableUtils.serializeToByteArray(extract).length)
        .isLessThan(shared.size() + 2_000);
    assertThat(SerializableUtils.serializeToByteArray(finalize).length)
        .isLessThan(shared.size() + 2_000);
  }
}
