package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.extract.ChunkExtractor;
import io.rivet.core.extract.FaultInjection;
import io.rivet.core.extract.PartTakenException;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.ChunkCoverage;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private final BeamPartStore partStore;

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
    this.partStore = new BeamPartStore(plan.outputDir(), this::mayPublish);
    this.extractor = new ChunkExtractor(plan, partStore);
  }

  void run() {
    try {
      walk();
    } catch (PartTakenException taken) {
      // Another copy of this work committed first (this one is a zombie, a speculative copy or a
      // second delivery): it stops here, and its restriction counts as done — the ledger has it.
      refused(
          taken.partName(), chunk.lo(), chunk.hi(), "its name is another copy's committed part");
      tracker.tryClaim(tracker.currentRestriction().getTo());
    }
  }

  /**
   * Before a part is published: the run still holds the export's lease, and no other copy of this
   * work committed the name.
   */
  private void mayPublish(String partName) {
    state.checkFence(plan.exportName());
    if (state.parts(plan.runId(), chunk.index()).stream()
        .anyMatch(p -> p.fileName().equals(partName))) {
      throw new PartTakenException(partName);
    }
  }

  private void walk() {
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
          boolean ours = commitOrWithdraw(List.of(page));
          FaultInjection.at("after-ledger");
          if (ours && page.isFile()) {
            out.output(page);
          }
        });
  }

  /**
   * Commits parts, or records that {@code [from, to)} holds no rows so the chunk's coverage stays
   * complete.
   */
  private void commit(List<PartRecord> parts, long from, long to) {
    if (parts.isEmpty()) {
      if (to > from) {
        commitOrWithdraw(
            List.of(PartRecord.empty(plan.runId(), plan.exportName(), chunk.index(), from, to)));
      }
      return;
    }
    FaultInjection.at("after-part-write");
    boolean ours = commitOrWithdraw(parts);
    FaultInjection.at("after-ledger");
    if (ours) {
      parts.forEach(out::output);
    }
  }

  /**
   * Commits parts of the chunk, all or none, then publishes them; or — when the ledger refuses them
   * because another copy of this work (a zombie or speculative worker, a second delivery of the
   * bundle) committed first — takes them back without touching the winner's files.
   */
  private boolean commitOrWithdraw(List<PartRecord> offered) {
    if (state.commitParts(offered)) {
      FaultInjection.at("before-publish");
      try {
        partStore.publish(offered, this::stillCommitted);
      } catch (IOException e) {
        throw new RivetException(
            ErrorCode.DESTINATION_FAILED,
            "export '"
                + plan.exportName()
                + "', "
                + chunk.describe()
                + ": publishing its committed parts in "
                + plan.outputDir()
                + " failed: "
                + e.getMessage()
                + "; 'rivet run --resume' checks them and writes again any that is missing",
            e);
      }
      return true;
    }
    for (PartRecord part : offered) {
      partStore.withdraw(part);
      refused(
          part.fileName(),
          part.rangeStart(),
          part.rangeEnd(),
          "another copy of this work committed first");
    }
    return false;
  }

  /**
   * Before admitted parts become visible: the run still holds the export's lease and the ledger
   * still holds each part as written (a resume that took the run over may have forgotten it).
   */
  private void stillCommitted(List<PartRecord> parts) {
    state.checkFence(plan.exportName());
    List<PartRecord> ledger = state.parts(plan.runId(), chunk.index());
    for (PartRecord p : parts) {
      if (ledger.stream()
          .noneMatch(
              q ->
                  q.fileName().equals(p.fileName())
                      && Objects.equals(q.fingerprint(), p.fingerprint()))) {
        throw new PartTakenException(p.fileName());
      }
    }
  }

  private void refused(String file, long from, long to, String reason) {
    try {
      state.journal(
          plan.runId(),
          plan.exportName(),
          "PartRefused",
          Json.MAPPER.writeValueAsString(
              Map.of(
                  "chunk",
                  chunk.index(),
                  "file",
                  file,
                  "range",
                  List.of(from, to),
                  "reason",
                  reason)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
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
