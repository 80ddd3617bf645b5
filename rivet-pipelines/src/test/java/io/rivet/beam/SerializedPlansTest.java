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
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** The DoFns carry their plans as one byte array that survives Java serialization (as every runner ships a DoFn). */
class SerializedPlansTest {
  private static ExportPlan plan(String name, int chunks) {
    List<ChunkSpec> specs = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      specs.add(ChunkSpec.range(i, i * 100L + 1, (i + 1) * 100L + 1));
    }
    return new ExportPlan(name, name + "_1", "sha256:abc", null, "SELECT * FROM t", List.of(), "id",
        List.of(ColumnMapping.of("id", "int8", ColumnKind.INT64), ColumnMapping.of("s", "text", ColumnKind.STRING)),
        specs, FileFormat.PARQUET, Compression.ZSTD, null, "/out/" + name, name + "_x", 1000, 5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED), false, false, false, "jdbc:sqlite:/tmp/s.db", "chunked",
        null, 0, null, 2.0, 0);
  }

  @Test
  void plansSurviveTheDoFnsSerializationAndAreDecodedOnce() {
    Map<String, ExportPlan> plans = Map.of("a", plan("a", 500), "b", plan("b", 3));
    ExtractChunkFn fn = new ExtractChunkFn(plans, Map.of("a", 2, "b", 1), Map.of());
    ExtractChunkFn copy = SerializableUtils.clone(fn);

    SerializedPlans carried = copy.plans();
    assertThat(carried.get().keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(carried.get().get("a").chunks()).isEqualTo(plans.get("a").chunks());
    assertThat(carried.get().get("b").columns()).isEqualTo(plans.get("b").columns());
    assertThat(carried.get()).isSameAs(carried.get());
    // The DoFn serializes as the plans' bytes plus a little: no second copy of the plans as objects.
    assertThat(SerializableUtils.serializeToByteArray(fn).length).isLessThan(carried.size() + 2_000);
  }
}
