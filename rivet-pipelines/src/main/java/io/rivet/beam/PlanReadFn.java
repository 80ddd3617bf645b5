package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.ColumnMapping;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Plans a read as the pipeline's first step — the export's planning (its query, mode window,
 * chunking) without a state store — and emits its chunks, a hot key-range chunk as several pieces
 * ({@link HotChunkSplitter}).
 */
final class PlanReadFn extends DoFn<String, ReadChunk> {
  private static final long serialVersionUID = 1L;
  private final RivetConfig config;
  private final ExportConfig export;
  private final List<ColumnMapping> columns;

  PlanReadFn(RivetConfig config, ExportConfig export, List<ColumnMapping> columns) {
    this.config = config;
    this.export = export;
    this.columns = List.copyOf(columns);
  }

  @ProcessElement
  public void process(OutputReceiver<ReadChunk> out) {
    ExportPlan plan = new Planner(config, null).plan(export, Instant.now(), null, null);
    if (!plan.columns().equals(columns)) {
      throw new RivetException(
          ErrorCode.SCHEMA_DRIFT,
          "read of '"
              + export.name()
              + "': the source's columns changed between building the pipeline and running it ("
              + columns.stream().map(ColumnMapping::name).toList()
              + " → "
              + plan.columns().stream().map(ColumnMapping::name).toList()
              + "); build the pipeline again");
    }
    byte[] slim = ReadChunk.encode(plan.withChunks(List.of()));
    String id = UUID.randomUUID().toString();
    // A key-range chunk the engine's statistics show holding far more rows than the others is read
    // as several pieces, each its own element, so that several workers read it at once.
    try (HotChunkSplitter splitter = new HotChunkSplitter(plan, null)) {
      for (ChunkSpec c : plan.chunks()) {
        long from = c.lo();
        for (long cut : splitter.cuts(c)) {
          out.output(new ReadChunk(id, slim, piece(c, from, cut)));
          from = cut;
        }
        out.output(new ReadChunk(id, slim, from == c.lo() ? c : piece(c, from, c.hi())));
      }
    }
  }

  private static ChunkSpec piece(ChunkSpec c, long from, long to) {
    return new ChunkSpec(c.index(), c.kind(), from, to, c.keyFrom(), c.keyTo());
  }
}
