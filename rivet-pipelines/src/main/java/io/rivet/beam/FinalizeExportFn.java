package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.extract.FaultInjection;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.quality.QualityGates;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalizes an export once every chunk's parts are committed: parts of this run that the ledger
 * does not know (left by a process killed between rename and ledger) are moved to {@code
 * _quarantine/<run_id>/}, never deleted; then {@code manifest.json} and, last, {@code _SUCCESS} are
 * written, each atomically.
 */
final class FinalizeExportFn extends DoFn<String, String> {
  private static final long serialVersionUID = 1L;
  static final String MANIFEST = "manifest.json";
  static final String SUCCESS = "_SUCCESS";

  private static final Logger LOG = LoggerFactory.getLogger(FinalizeExportFn.class);

  private final SerializedPlan plan;

  /**
   * The launcher's lease token on the export, checked before every write; null when none is held.
   */
  private final String lease;

  /**
   * Finalizes the export of {@code plan}; its element (the export's name) arrives once its chunks
   * are extracted.
   */
  FinalizeExportFn(SerializedPlan plan, String lease) {
    this.plan = plan;
    this.lease = lease;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    String exportName = c.element();
    ExportPlan plan = this.plan.get();
    try (StateStore state = StateStore.open(plan.stateUrl())) {
      if (lease != null) {
        state.fence(exportName, lease);
      }
      List<ChunkTask> open =
          state.chunks(plan.runId()).stream()
              .filter(t -> !ChunkTask.COMPLETED.equals(t.status()))
              .toList();
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
      List<PartRecord> ledger = state.parts(plan.runId());
      if (BeamPartStore.stdout(plan.outputDir())) {
        // A stream has no manifest or _SUCCESS: the rows went to stdout as they were read.
        state.finishRun(plan.runId(), RunRecord.COMPLETED);
        state.journal(
            plan.runId(),
            exportName,
            "RunCompleted",
            "{\"status\":\"success\",\"destination\":\"stdout\"}");
        c.output(exportName);
        return;
      }
      verifyParts(plan, state);
      quarantineUntracked(plan, ledger);
      checkQuality(plan, state, ledger);
      checkShape(plan, state, ledger);
      String startedAt = state.run(plan.runId()).map(RunRecord::createdAt).orElse(null);
      byte[] manifest = Manifest.of(plan, startedAt, Instant.now().toString(), ledger).toJson();
      // The directory must still be this store's: a second store that raced for it on an object
      // store is caught
      // here.
      DestinationGuard.verifyOwned(plan, state.storeId());
      state.checkFence(exportName);
      FaultInjection.at("before-manifest");
      writeAtomically(plan.outputDir(), MANIFEST, manifest);
      FaultInjection.at("before-success");
      writeAtomically(
          plan.outputDir(),
          SUCCESS,
          Manifest.successMarker(manifest).getBytes(StandardCharsets.UTF_8));
      // The superseded parts move only after _SUCCESS, and before the run is marked completed: a
      // crash in between
      // leaves the run unfinished, and its --resume finishes the move.
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
    c.output(exportName);
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

  /**
   * Quality gates (reference §7.4): a failure ends the run without manifest or _SUCCESS, exit 3;
   * the parts stay.
   */
  private static void checkQuality(ExportPlan plan, StateStore state, List<PartRecord> ledger)
      throws IOException {
    if (!plan.quality().any()) {
      return;
    }
    QualityGates.Result r =
        QualityGates.evaluate(
            plan.quality(),
            ledger,
            name -> new BeamInputFile(BeamPartStore.resolve(plan.outputDir(), name)));
    for (String w : r.warnings()) {
      LOG.warn("export '{}': quality: {}", plan.exportName(), w);
      state.journal(plan.runId(), plan.exportName(), "QualityIssue", json("WARN", w));
    }
    if (!r.passed()) {
      for (String f : r.failures()) {
        state.journal(plan.runId(), plan.exportName(), "QualityIssue", json("FAIL", f));
      }
      state.finishRun(plan.runId(), RunRecord.FAILED);
      String quarantine = "_quarantine/" + plan.runId();
      DestinationGuard.retire(
          plan.outputDir(),
          ledger.stream().filter(PartRecord::isFile).map(PartRecord::fileName).toList(),
          quarantine);
      throw new RivetException(
          ErrorCode.DATA_INTEGRITY,
          "export '"
              + plan.exportName()
              + "': quality check failed: "
              + String.join("; ", r.failures())
              + ". The run's parts were moved to "
              + plan.outputDir()
              + "/"
              + quarantine
              + "/ for inspection (readers of the directory do not see them); no manifest.json or _SUCCESS was written;"
              + " the cursor did not move; the next run starts a new run");
    }
  }

  /**
   * Shape drift (reference §7.3): warns when a text or binary column's longest value grew by more
   * than {@code shape_drift_warn_factor} since the previous runs; then remembers the new maxima.
   */
  private static void checkShape(ExportPlan plan, StateStore state, List<PartRecord> ledger) {
    Map<String, Integer> now = new LinkedHashMap<>();
    ledger.forEach(p -> p.maxBytes().forEach((c, n) -> now.merge(c, n, Math::max)));
    if (now.isEmpty()) {
      return;
    }
    Map<String, Integer> before = state.shapeBaseline(plan.exportName());
    Map<String, Integer> grown = new LinkedHashMap<>(before);
    now.forEach(
        (column, len) -> {
          Integer old = before.get(column);
          if (plan.shapeDriftWarnFactor() > 0
              && old != null
              && old > 0
              && len > old * plan.shapeDriftWarnFactor()) {
            String msg =
                "column "
                    + column
                    + ": longest value grew from "
                    + old
                    + " to "
                    + len
                    + " bytes (more than "
                    + plan.shapeDriftWarnFactor()
                    + "x); check consumers with fixed-width columns";
            LOG.warn("export '{}': shape drift: {}", plan.exportName(), msg);
            state.journal(
                plan.runId(), plan.exportName(), "Warning", json("WARN", "shape drift: " + msg));
          }
          grown.merge(column, len, Math::max);
        });
    state.storeShape(plan.exportName(), grown);
  }

  private static String json(String severity, String message) {
    try {
      return Json.MAPPER.writeValueAsString(Map.of("severity", severity, "message", message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void quarantineUntracked(ExportPlan plan, List<PartRecord> ledger)
      throws IOException {
    Set<String> known = ledger.stream().map(PartRecord::fileName).collect(Collectors.toSet());
    String pattern = BeamPartStore.resolve(plan.outputDir(), plan.filePrefix() + "_*").toString();
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      String name = m.resourceId().getFilename();
      if (!known.contains(name)) {
        from.add(m.resourceId());
        to.add(BeamPartStore.resolve(plan.outputDir(), "_quarantine/" + plan.runId() + "/" + name));
      }
    }
    if (!from.isEmpty()) {
      if (!plan.outputDir().contains("://")) {
        Files.createDirectories(Path.of(plan.outputDir(), "_quarantine", plan.runId()));
      }
      FileSystems.rename(from, to);
    }
    // Temporary files of this run left by killed writers: hidden, never published, and no writer of
    // the run is
    // left.
    List<ResourceId> temps = new ArrayList<>();
    for (String name : DestinationGuard.list(plan.outputDir())) {
      if (BeamPartStore.isTempOf(name, plan.filePrefix() + "_")) {
        temps.add(BeamPartStore.resolve(plan.outputDir(), name));
      }
    }
    FileSystems.delete(temps, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  static void writeAtomically(String dir, String name, byte[] content) throws IOException {
    if (BeamPartStore.objectStore(dir)) {
      // One PUT: the object appears whole or not at all.
      try (OutputStream os =
          Channels.newOutputStream(
              FileSystems.create(BeamPartStore.resolve(dir, name), MimeTypes.TEXT))) {
        os.write(content);
      }
      return;
    }
    ResourceId tmp = BeamPartStore.resolve(dir, BeamPartStore.tempName(name));
    try (OutputStream os = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.TEXT))) {
      os.write(content);
    }
    FileSystems.rename(List.of(tmp), List.of(BeamPartStore.resolve(dir, name)));
  }
}
