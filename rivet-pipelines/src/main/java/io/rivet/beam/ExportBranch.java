package io.rivet.beam;

import io.rivet.core.state.PartRecord;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One configured export's branch (its partitions' child exports included): Chunks → Spread Chunks →
 * Extract Chunks, then Finalize Export after them.
 */
final class ExportBranch extends PTransform<PCollection<PreparedRun>, PCollection<ExportResult>> {
  private static final long serialVersionUID = 1L;
  private final String configName;
  private final String stateUrl;

  ExportBranch(String configName, String stateUrl) {
    this.configName = configName;
    this.stateUrl = stateUrl;
  }

  @Override
  public PCollection<ExportResult> expand(PCollection<PreparedRun> runs) {
    String name = configName;
    PCollection<PreparedRun> mine =
        runs.apply("Its Runs", Filter.by(r -> r.run().configName().equals(name)));
    PCollection<PartRecord> parts =
        mine.apply(
                "Chunks",
                FlatMapElements.into(TypeDescriptor.of(ChunkRef.class))
                    .via(
                        (PreparedRun r) ->
                            r.pending().stream().map(c -> new ChunkRef(r.run(), c)).toList()))
            .setCoder(SerializableCoder.of(ChunkRef.class))
            .apply("Spread Chunks", Reshuffle.viaRandomKey())
            .apply("Extract Chunks", ParDo.of(new ExtractChunkFn(stateUrl)))
            .setCoder(SerializableCoder.of(PartRecord.class));
    return mine.apply("After Its Chunks", Wait.on(parts))
        .apply("Finalize Export", ParDo.of(new FinalizeExportFn(stateUrl)))
        .setCoder(SerializableCoder.of(ExportResult.class));
  }
}
