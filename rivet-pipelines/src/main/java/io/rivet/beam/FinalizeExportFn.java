package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.RivetException;
import io.rivet.core.extract.FaultInjection;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalizes an export once every chunk's parts are committed: parts of this run that the ledger
 * does not know (left by a process killed between rename and ledger) are moved to {@code
 * _quarantine/<run_id>/}, never deleted; then {@code manifest.json} and, last, {@code _SUCCESS} are
 * written, each atomically.
 */
final class FinalizeExportFn extends DoFn<PreparedRun, ExportResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FinalizeExportFn.class);
  static final String MANIFEST = "manifest.json";
  static final String SUCCESS = "_SUCCESS";

  private final String stateUrl;

  /**
   * Finalizes the runs of the state store at {@code stateUrl}; each element (a run) arrives once
   * its chunks are extracted.
   */
  FinalizeExportFn(String stateUrl) {
    this.stateUrl = stateUrl;
  }

  @ProcessElement
  public void process(@Element PreparedRun prepared, OutputReceiver<ExportResult> out)
      throws IOException {
    if (prepared.outcome() != null) {
      out.output(prepared.outcome());
      return;
    }
    RunRef run = prepared.run();
    try (StateStore state = StateStore.open(stateUrl)) {
      ExportPlan plan = state.loadPlan(run.runId()).withConnection(run.connection());
      if (state.run(run.runId()).map(r -> RunRecord.COMPLETED.equals(r.status())).orElse(false)) {
        // A finalize replayed after it finished (a runner's retry): the run stands as it ended.
        out.output(succeeded(plan, state.parts(run.runId())));
        return;
      }
      ExportResult result = finalizeHeld(run, plan, state);
      if (run.heldByPipeline()) {
        // The pipeline planned this run and holds its lease: done with it, whatever the outcome.
        state.releaseLease(run.exportName(), run.lease());
      }
      out.output(result);
    }
  }

  private static ExportResult finalizeHeld(RunRef run, ExportPlan plan, StateStore state)
      throws IOException {
    String exportName = run.exportName();
    try (WorkerLeases.Handle held = WorkerLeases.hold(plan.stateUrl(), run)) {
      if (run.lease() != null) {
        state.fence(exportName, run.lease());
      }
      try {
        if (finalize(plan, state)) {
          return succeeded(plan, state.parts(plan.runId()));
        }
        return ExportResult.failed(exportName, plan.runId(), lastFailure(state, plan));
      } catch (RivetException e) {
        if (!ExportFailure.isOwnedByOneExport(e)) {
          throw e;
        }
        // This export's failure is its own: recorded for the launcher, the others go on.
        ExportFailure failure = ExportFailure.of(exportName, e);
        state.journal(plan.runId(), exportName, ExportFailure.EVENT, failure.toJson());
        LOG.warn("export '{}' failed [{}]; the other exports go on", exportName, e.code());
        return ExportResult.failed(exportName, plan.runId(), failure);
      }
    }
  }

  private static ExportResult succeeded(ExportPlan plan, List<PartRecord> ledger) {
    List<PartRecord> files = ledger.stream().filter(PartRecord::isFile).toList();
    boolean stdout = BeamPartStore.stdout(plan.outputDir());
    return new ExportResult(
        plan.exportName(),
        plan.runId(),
        ExportResult.Status.SUCCEEDED,
        ledger.stream().mapToLong(PartRecord::rows).sum(),
        files.size(),
        files.stream().mapToLong(PartRecord::bytes).sum(),
        stdout ? null : BeamPartStore.resolve(plan.outputDir(), MANIFEST).toString(),
        null,
        null);
  }

  /** The failure the run's extraction recorded last (a chunk that failed for good). */
  private static ExportFailure lastFailure(StateStore state, ExportPlan plan) {
    ExportFailure last = null;
    for (String[] e : state.journalEntries(plan.runId())) {
      if (ExportFailure.EVENT.equals(e[1])) {
        last = ExportFailure.fromJson(plan.exportName(), e[2]).orElse(last);
      }
    }
    return last != null
        ? last
        : new ExportFailure(
            plan.exportName(),
            ErrorCode.INTERNAL,
            "export '"
                + plan.exportName()
                + "' has a chunk that failed without a recorded failure (a bug in rivet); a resume"
                + " continues its run "
                + plan.runId());
  }

  /** Finalizes the export; false if one of its chunks failed (that failure is recorded). */
  private static boolean finalize(ExportPlan plan, StateStore state) throws IOException {
    String exportName = plan.exportName();
    if (!checkCommitted(plan, state)) {
      return false;
    }
    List<PartRecord> ledger = state.parts(plan.runId());
    if (BeamPartStore.stdout(plan.outputDir())) {
      // A stream has no manifest or _SUCCESS: the rows went to stdout as they were read.
      state.finishRun(plan.runId(), RunRecord.COMPLETED);
      state.journal(
          plan.runId(),
          exportName,
          "RunCompleted",
          "{\"status\":\"success\",\"destination\":\"stdout\"}");
      return true;
    }
    verifyParts(plan, state);
    FinalizeWrites.quarantineUntracked(plan, ledger);
    FinalizeChecks.checkQuality(plan, state, ledger);
    FinalizeChecks.checkShape(plan, state, ledger);
    publish(plan, state, ledger);
    return true;
  }

  /**
   * Every chunk of the run must be committed before anything is published: false if a chunk failed
   * (the extraction recorded why), an error if one is neither committed nor failed.
   */
  private static boolean checkCommitted(ExportPlan plan, StateStore state) {
    String exportName = plan.exportName();
    List<ChunkTask> open =
        state.chunks(plan.runId()).stream()
            .filter(t -> !ChunkTask.COMPLETED.equals(t.status()))
            .toList();
    if (open.stream().anyMatch(t -> ChunkTask.FAILED.equals(t.status()))) {
      return false;
    }
    if (!open.isEmpty()) {
      throw new RivetException(
          ErrorCode.DATA_INTEGRITY,
          "export '"
              + exportName
              + "': "
              + open.size()
              + " chunk(s) are not committed (first: chunk "
              + open.get(0).chunkIndex()
              + ", "
              + open.get(0).status()
              + "); no manifest was written. 'rivet run --resume' continues the run");
    }
    return true;
  }

  /**
   * The manifest, then {@code _SUCCESS}, then the superseded parts retired and the cursor moved,
   * then the run completed: each step only after the one before, so a crash anywhere leaves a run
   * that {@code --resume} finishes.
   */
  private static void publish(ExportPlan plan, StateStore state, List<PartRecord> ledger)
      throws IOException {
    String exportName = plan.exportName();
    String startedAt = state.run(plan.runId()).map(RunRecord::createdAt).orElse(null);
    byte[] manifest = Manifest.of(plan, startedAt, Instant.now().toString(), ledger).toJson();
    // The directory must still be this store's: a second store that raced for it on an object store
    // is caught here.
    DestinationGuard.verifyOwned(plan, state.storeId());
    state.checkFence(exportName);
    FaultInjection.at("before-manifest");
    FinalizeWrites.writeAtomically(plan.outputDir(), MANIFEST, manifest);
    FaultInjection.at("before-success");
    FinalizeWrites.writeAtomically(
        plan.outputDir(),
        SUCCESS,
        Manifest.successMarker(manifest).getBytes(StandardCharsets.UTF_8));
    // The superseded parts move only after _SUCCESS, and before the run is marked completed: a
    // crash in between leaves the run unfinished, and its --resume finishes the move.
    FaultInjection.at("before-retire");
    Retirement.retireSuperseded(plan, state, true);
    FaultInjection.at("before-cursor");
    if (plan.cursor() != null && plan.cursor().next() != null) {
      // I3: the cursor moves only after every part committed and the export is finalized.
      state.storeCursor(exportName, plan.cursor().next(), plan.runId());
    }
    state.finishRun(plan.runId(), RunRecord.COMPLETED);
    state.journal(
        plan.runId(),
        exportName,
        "RunCompleted",
        "{\"status\":\"success\",\"parts\":"
            + ledger.stream().filter(PartRecord::isFile).count()
            + "}");
  }

  /**
   * {@code _SUCCESS} only over verified bytes: every committed part is checked against its ledger
   * entry (size and SHA-256 on a local disk, size and the store's checksum on object stores). A
   * part that differs is quarantined and its range reopened, and the run stops here without a
   * manifest; a resume rewrites exactly those parts.
   */
  private static void verifyParts(ExportPlan plan, StateStore state) throws IOException {
    List<PartVerifier.Check> bad = ResumeCheck.verifyCommitted(plan, state);
    if (bad.isEmpty()) {
      return;
    }
    PartVerifier.Check first = bad.get(0);
    throw new RivetException(
        ErrorCode.DATA_INTEGRITY,
        "export '"
            + plan.exportName()
            + "': "
            + bad.size()
            + " committed part(s) are not the bytes the ledger recorded (first: "
            + first.part().fileName()
            + ", "
            + ResumeCheck.describe(first.verdict())
            + ": "
            + first.detail()
            + "); they were moved to "
            + plan.outputDir()
            + "/_quarantine/"
            + plan.runId()
            + "/ and their ranges reopened, and no manifest or _SUCCESS was written."
            + " 'rivet run --resume' rewrites them");
  }
}
