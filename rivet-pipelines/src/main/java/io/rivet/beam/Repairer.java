package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.extract.ChunkExtractor;
import io.rivet.core.extract.FaultInjection;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.reconcile.RepairPlan;
import io.rivet.core.reconcile.RepairResult;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a repair plan on the run it was made from, in place: each listed chunk is read again
 * from the source into parts of new names, the ledger swaps the chunk's old parts for them in one
 * transaction, the old parts move to {@code _retired/<run_id>/<repair id>/}, and the manifest and
 * {@code _SUCCESS} are written again from the ledger. The caller holds the export's lease (no run
 * or other repair of the export meanwhile), and every write is fenced with it.
 *
 * <p>Exactly-once effect: at every moment the ledger holds either a chunk's old parts or its new
 * ones. {@code _SUCCESS} is removed before the first change and written again last, so a reader
 * that waits for it never sees both. A repair that dies midway is settled by the next repair (or
 * reconcile-and-repair) of the export: parts of the run the ledger does not hold — a new part not
 * yet swapped in, an old one swapped out but not yet moved — go to {@code _quarantine/<run_id>/},
 * and the manifest is written again from the ledger.
 */
public final class Repairer {
  private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS").withZone(ZoneOffset.UTC);

  private final RivetConfig cfg;
  private final StateStore state;

  public Repairer(RivetConfig cfg, StateStore state) {
    this.cfg = cfg;
    this.state = state;
  }

  /**
   * Repairs the chunks of {@code plan}. The plan must be of the export's newest completed run and
   * of the run the destination's manifest describes; otherwise it is refused (reconcile again).
   *
   * @param leaseToken the export's lease held by the caller; the repair's writes are fenced with it
   */
  public RepairResult execute(ExportConfig export, RepairPlan plan, String leaseToken) {
    RunRecord newest = new Reconciler(cfg, state, "").run(export, null);
    if (!newest.runId().equals(plan.reconcileRunId())) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "the reconcile report is of run "
              + plan.reconcileRunId()
              + ", but the newest completed run of export '"
              + export.name()
              + "' is "
              + newest.runId()
              + "; reconcile again ('rivet reconcile -c <config> -e "
              + export.name()
              + " -o report.json') and repair from that report");
    }
    state.fence(export.name(), leaseToken);
    Reconciler.useDestination(export);
    ConnectionSpec spec = ConnectionSpec.from(cfg.source()).probed().spec();
    ExportPlan run = state.loadPlan(newest.runId()).withConnection(spec);
    Manifest manifest = Reconciler.manifest(run);
    if (manifest == null || !manifest.runId().equals(run.runId())) {
      throw new RivetException(
          ErrorCode.DATA_INTEGRITY,
          "export '"
              + export.name()
              + "': the destination's manifest.json is "
              + (manifest == null ? "missing" : "of run " + manifest.runId())
              + ", not of run "
              + run.runId()
              + "; nothing was repaired. 'rivet run -c <config> -e "
              + export.name()
              + "' writes a complete new run instead");
    }
    // Unique per repair (two within a millisecond differ by the nonce): its parts never take an
    // earlier repair's names.
    String repairId =
        "repair"
            + STAMP.format(Instant.now())
            + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    List<RepairResult.ChunkResult> results = new ArrayList<>();
    try {
      settle(run);
      FileSystems.delete(
          List.of(BeamPartStore.resolve(run.outputDir(), FinalizeExportFn.SUCCESS)),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      state.journal(
          run.runId(),
          export.name(),
          "RepairStarted",
          "{\"repair_id\":\"" + repairId + "\",\"chunks\":" + plan.actions().size() + "}");
      ExportPlan repair = run.withFilePrefix(run.filePrefix() + "_" + repairId);
      try (Connection c = spec.open()) {
        for (RepairPlan.Action a : plan.actions()) {
          results.add(chunk(run, repair, run.chunk(a.chunkIndex()), c, repairId));
        }
      }
      FaultInjection.at("repair-before-success");
      settle(run);
      state.journal(
          run.runId(),
          export.name(),
          "RepairCompleted",
          "{\"repair_id\":\"" + repairId + "\",\"chunks\":" + results.size() + "}");
    } catch (IOException | SQLException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '"
              + export.name()
              + "': the repair stopped: "
              + Redactor.redact(String.valueOf(e.getMessage()))
              + "; the ledger holds each chunk's old or new parts, and 'rivet repair --execute'"
              + " again settles the directory and repairs what still differs",
          e);
    }
    return RepairResult.of(plan, repairId, results);
  }

  /** One chunk read again and swapped in; a failure is the chunk's and leaves its old parts. */
  private RepairResult.ChunkResult chunk(
      ExportPlan run, ExportPlan repair, ChunkSpec chunk, Connection c, String repairId)
      throws IOException {
    List<PartRecord> old = state.parts(run.runId(), chunk.index());
    List<PartRecord> written = new ArrayList<>();
    BeamPartStore store =
        new BeamPartStore(run.outputDir(), name -> state.checkFence(run.exportName()));
    try {
      ChunkExtractor extractor = new ChunkExtractor(repair, store);
      if (chunk.kind() == ChunkSpec.Kind.KEYSET) {
        extractor.extractKeyset(c, chunk, null, 0, (page, last) -> written.add(page));
      } else {
        written.addAll(extractor.extract(c, chunk, chunk.lo(), chunk.hi(), k -> true, chunk::hi));
      }
      // Visible before the ledger holds them: a repair killed now leaves parts the ledger does not
      // know, which the next one quarantines; never a ledger part without its file.
      store.publish(written, files -> state.checkFence(run.exportName()));
    } catch (RuntimeException e) {
      LOG.warn("export '{}', {}: repair failed", run.exportName(), chunk.describe(), e);
      return new RepairResult.ChunkResult(
          chunk.index(),
          "failed",
          0,
          List.of(),
          List.of(),
          Redactor.redact(String.valueOf(e.getMessage()))
              + "; the chunk keeps its old parts, and a repair again retries it");
    }
    FaultInjection.at("repair-after-part");
    List<PartRecord> parts =
        written.isEmpty()
            ? List.of(
                PartRecord.empty(
                    run.runId(), run.exportName(), chunk.index(), chunk.lo(), chunk.hi()))
            : written;
    state.replaceChunkParts(run.exportName(), run.runId(), chunk.index(), parts);
    FaultInjection.at("repair-after-swap");
    List<String> replaced =
        old.stream().filter(PartRecord::isFile).map(PartRecord::fileName).toList();
    DestinationGuard.retire(
        run.outputDir(), replaced, DestinationGuard.RETIRED + "/" + run.runId() + "/" + repairId);
    List<String> names =
        written.stream().filter(PartRecord::isFile).map(PartRecord::fileName).toList();
    long rows = written.stream().mapToLong(PartRecord::rows).sum();
    state.journal(
        run.runId(),
        run.exportName(),
        "ChunkRepaired",
        "{\"chunk_index\":"
            + chunk.index()
            + ",\"rows\":"
            + rows
            + ",\"replaced\":"
            + replaced.size()
            + ",\"written\":"
            + names.size()
            + "}");
    LOG.info(
        "export '{}', {}: {} part(s) replaced by {} ({} rows)",
        run.exportName(),
        chunk.describe(),
        replaced.size(),
        names.size(),
        rows);
    return new RepairResult.ChunkResult(chunk.index(), "repaired", rows, names, replaced, null);
  }

  /**
   * Makes the directory what the ledger says: parts of the run it does not hold leave for {@code
   * _quarantine/<run_id>/}, and the manifest and {@code _SUCCESS} are written from it when they
   * differ. (Whether the parts it holds are intact is reconcile's question: a missing part makes
   * its chunk a mismatch, which a repair rewrites.)
   */
  private void settle(ExportPlan run) throws IOException {
    List<PartRecord> ledger = state.parts(run.runId());
    FinalizeWrites.quarantineUntracked(run, ledger);
    Manifest current = Reconciler.manifest(run);
    Set<String> inManifest = new HashSet<>();
    if (current != null) {
      current.parts().forEach(p -> inManifest.add(p.path()));
    }
    Set<String> inLedger = new HashSet<>();
    ledger.stream().filter(PartRecord::isFile).forEach(p -> inLedger.add(p.fileName()));
    boolean success =
        FileSystems.match(
                    BeamPartStore.resolve(run.outputDir(), FinalizeExportFn.SUCCESS).toString())
                .status()
            == org.apache.beam.sdk.io.fs.MatchResult.Status.OK;
    if (current != null && inManifest.equals(inLedger) && success) {
      return;
    }
    String startedAt = current != null ? current.startedAt() : null;
    byte[] bytes = Manifest.of(run, startedAt, Instant.now().toString(), ledger).toJson();
    state.checkFence(run.exportName());
    FinalizeWrites.writeAtomically(run.outputDir(), FinalizeExportFn.MANIFEST, bytes);
    FinalizeWrites.writeAtomically(
        run.outputDir(),
        FinalizeExportFn.SUCCESS,
        Manifest.successMarker(bytes).getBytes(StandardCharsets.UTF_8));
  }
}
