package io.rivet.beam;

import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Beam entry points of Rivet. {@link #export} extracts planned exports into committed part files
 * and finalizes each (manifest, {@code _SUCCESS}); it emits the names of the exports it finalized.
 */
public final class RivetIO {
  private RivetIO() {}

  public static Export export(Map<String, ExportPlan> plans) {
    return new Export(plans, List.of(), Map.of(), Map.of());
  }

  /**
   * Extract planned chunks and finalize the exports: one branch per export — its chunks spread over
   * the workers, then its finalize once its own chunks are extracted ({@link Wait#on}), so an
   * export never waits for another. Immutable; configure with {@code withX} copies.
   */
  public static final class Export extends PTransform<PBegin, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final Map<String, ExportPlan> plans;
    private final List<ChunkRef> pending;
    private final Map<String, Integer> parallel;
    private final Map<String, String> leases;

    private Export(
        Map<String, ExportPlan> plans,
        List<ChunkRef> pending,
        Map<String, Integer> parallel,
        Map<String, String> leases) {
      this.plans = Map.copyOf(plans);
      this.pending = List.copyOf(pending);
      this.parallel = Map.copyOf(parallel);
      this.leases = Map.copyOf(leases);
    }

    /** The chunks still to extract (all of a new run; the uncommitted ones of a resumed run). */
    public Export withPendingChunks(List<ChunkRef> chunks) {
      return new Export(plans, chunks, parallel, leases);
    }

    /**
     * At most this many chunks of an export are read at once in one worker (the export's {@code
     * parallel}).
     */
    public Export withParallelism(Map<String, Integer> perExport) {
      return new Export(plans, pending, perExport, leases);
    }

    /**
     * The lease token the launcher holds per export: every commit of the pipeline checks it first,
     * so once another run takes the lease over (this launcher stopped heartbeating), this
     * pipeline's workers commit nothing more.
     */
    public Export withLeases(Map<String, String> tokens) {
      return new Export(plans, pending, parallel, tokens);
    }

    @Override
    public PCollection<String> expand(PBegin input) {
      PCollectionList<String> finalized = PCollectionList.empty(input.getPipeline());
      for (String name : plans.keySet().stream().sorted().toList()) {
        finalized =
            finalized.and(
                input.apply(
                    "Export " + name,
                    new OneExport(
                        new SerializedPlan(plans.get(name)),
                        pending.stream().filter(r -> r.exportName().equals(name)).toList(),
                        parallel.getOrDefault(name, 1),
                        leases.get(name))));
      }
      return finalized.apply("Finalized Exports", Flatten.pCollections());
    }
  }

  /**
   * One export's branch: Plan Chunks → Spread Chunks → Extract Chunks, then Finalize Export after
   * them.
   */
  static final class OneExport extends PTransform<PBegin, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final SerializedPlan plan;
    private final List<ChunkRef> chunks;
    private final int parallel;
    private final String lease;

    OneExport(SerializedPlan plan, List<ChunkRef> chunks, int parallel, String lease) {
      this.plan = plan;
      this.chunks = List.copyOf(chunks);
      this.parallel = parallel;
      this.lease = lease;
    }

    @Override
    public PCollection<String> expand(PBegin input) {
      PCollection<PartRecord> parts =
          input
              .apply(
                  "Plan Chunks", Create.of(chunks).withCoder(SerializableCoder.of(ChunkRef.class)))
              .apply("Spread Chunks", Reshuffle.viaRandomKey())
              .apply("Extract Chunks", ParDo.of(new ExtractChunkFn(plan, parallel, lease)))
              .setCoder(SerializableCoder.of(PartRecord.class));
      return input
          .apply("Export Name", Create.of(plan.get().exportName()).withCoder(StringUtf8Coder.of()))
          .apply("After Its Chunks", Wait.on(parts))
          .apply("Finalize Export", ParDo.of(new FinalizeExportFn(plan, lease)));
    }
  }
}
