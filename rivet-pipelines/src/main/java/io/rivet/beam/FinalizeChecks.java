package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.quality.QualityGates;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks an export's committed parts pass before its manifest is written: the quality gates
 * (reference §7.4; a failure quarantines the run's parts and ends it with exit 3) and shape drift
 * (reference §7.3; a warning, and the new maxima remembered).
 */
final class FinalizeChecks {
  private static final Logger LOG = LoggerFactory.getLogger(FinalizeChecks.class);

  private FinalizeChecks() {}

  /**
   * Quality gates (reference §7.4): a failure ends the run without manifest or _SUCCESS, exit 3;
   * the parts stay.
   */
  static void checkQuality(ExportPlan plan, StateStore state, List<PartRecord> ledger)
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
  static void checkShape(ExportPlan plan, StateStore state, List<PartRecord> ledger) {
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
}
