package io.rivet.beam;

import io.rivet.core.extract.ChunkExtractor;
import io.rivet.core.extract.FaultInjection;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.ChunkCoverage;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * One {@link ExtractChunkFn} call's walk through its restriction: the sub-ranges no committed part
 * covers are read (each claimed key by key, so a split stops the read where the restriction now
 * ends) and committed; the covered ones are claimed and skipped; a keyset chunk continues after its
 * last committed page; an indivisible chunk is read whole, or again from its start if it was cut
 * short.
 */
final class RestrictionWalk {
  private final ExportPlan plan;
  private final ChunkSpec chunk;
  private final RestrictionTracker<OffsetRange, Long> tracker;
  private final DoFn.OutputReceiver<PartRecord> out;
  private final ChunkExtractor extractor;
  private final StateStore state;
  private final Supplier<Connection> connection;

  RestrictionWalk(
      ExportPlan plan,
      ChunkSpec chunk,
      RestrictionTracker<OffsetRange, Long> tracker,
      DoFn.OutputReceiver<PartRecord> out,
      StateStore state,
      Supplier<Connection> connection) {
    this.state = state;
    this.connection = connection;
    this.plan = plan;
    this.chunk = chunk;
    this.tracker = tracker;
    this.out = out;
    this.extractor =
        new ChunkExtractor(
            plan, new BeamPartStore(plan.outputDir(), () -> state.checkFence(plan.exportName())));
  }

  void run() {
    List<PartRecord> done = state.parts(plan.runId(), chunk.index());
    long pos = tracker.currentRestriction().getFrom();
    if (chunk.kind() == ChunkSpec.Kind.KEYSET) {
      if (tracker.tryClaim(pos)) {
        keyset(done);
      }
      return;
    }
    if (!chunk.keyed()) {
      boolean complete = done.stream().anyMatch(p -> p.rangeEnd() >= chunk.hi());
      if (tracker.tryClaim(pos) && !complete) {
        if (!done.isEmpty()) {
          // An indivisible chunk cut short is read again from its start, into the same part names.
          state.forgetParts(plan.runId(), chunk.index());
        }
        commit(
            extractor.extract(
                connection.get(), chunk, chunk.lo(), chunk.hi(), k -> true, chunk::hi),
            chunk.lo(),
            chunk.hi());
      }
      return;
    }
    while (pos < tracker.currentRestriction().getTo()) {
      long end = tracker.currentRestriction().getTo();
      PartRecord covering = ChunkCoverage.covering(done, pos);
      if (covering != null) {
        long skipTo = Math.min(covering.rangeEnd(), end);
        if (!tracker.tryClaim(skipTo - 1)) {
          return;
        }
        pos = skipTo;
        continue;
      }
      long segEnd = Math.min(end, ChunkCoverage.nextStart(done, pos));
      long segStart = pos;
      List<PartRecord> parts =
          extractor.extract(
              connection.get(),
              chunk,
              segStart,
              segEnd,
              tracker::tryClaim,
              () -> Math.min(segEnd, tracker.currentRestriction().getTo()));
      commit(parts, segStart, Math.min(segEnd, tracker.currentRestriction().getTo()));
      pos = segEnd;
    }
    // Attempting the end offset marks the whole range as attempted, so checkDone passes.
    tracker.tryClaim(tracker.currentRestriction().getTo());
  }

  /** Continues a keyset chunk after its last committed page. */
  private void keyset(List<PartRecord> done) {
    if (done.stream().anyMatch(p -> p.rangeEnd() >= 1)) {
      return;
    }
    PartRecord last =
        done.stream()
            .filter(PartRecord::isFile)
            .max(Comparator.comparing(PartRecord::fileName, RestrictionWalk::byPageNumber))
            .orElse(null);
    int pages = (int) done.stream().filter(PartRecord::isFile).count();
    extractor.extractKeyset(
        connection.get(),
        chunk,
        last == null ? null : last.lastKey(),
        pages,
        (page, lastPage) -> {
          FaultInjection.at("after-part-write");
          state.commitPart(page);
          FaultInjection.at("after-ledger");
          if (page.isFile()) {
            out.output(page);
          }
        });
  }

  /**
   * Commits parts, or records that {@code [from, to)} holds no rows so the chunk's coverage stays
   * complete.
   */
  private void commit(List<PartRecord> parts, long from, long to) {
    for (PartRecord part : parts) {
      FaultInjection.at("after-part-write");
      state.commitPart(part);
      FaultInjection.at("after-ledger");
      out.output(part);
    }
    if (parts.isEmpty() && to > from) {
      state.commitPart(PartRecord.empty(plan.runId(), plan.exportName(), chunk.index(), from, to));
    }
  }

  /** Orders keyset page names by their page number ({@code …_p10} after {@code …_p9}). */
  private static int byPageNumber(String a, String b) {
    return Long.compare(pageNumber(a), pageNumber(b));
  }

  private static long pageNumber(String name) {
    String base = name.substring(0, name.lastIndexOf('.'));
    return Long.parseLong(base.substring(base.lastIndexOf("_p") + 2));
  }
}
