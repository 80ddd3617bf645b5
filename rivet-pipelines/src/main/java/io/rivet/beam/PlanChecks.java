package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SchemaDriftPolicy;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.PlanHash;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.SchemaDrift;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a run's plans pass before anything is written: schema drift against the stored
 * baseline, whether an unfinished run may be resumed (same plan hash, chunks under their attempt
 * limit), one directory per export, and the message when there is nothing to resume.
 */
final class PlanChecks {
  private static final Logger LOG = LoggerFactory.getLogger(PlanChecks.class);

  private final String configArg;

  PlanChecks(String configArg) {
    this.configArg = configArg;
  }

  String nothingToResume(StateStore state, ExportConfig e) {
    List<RunRecord> last = state.runs(e.name(), 1);
    String why =
        last.isEmpty()
            ? "this state store has no run of it"
            : "its last run "
                + last.get(0).runId()
                + " is "
                + last.get(0).status()
                + " ("
                + last.get(0).updatedAt()
                + ")";
    return "nothing to resume: "
        + why
        + "; nothing was written. Run without --resume to start a new run";
  }

  /**
   * Compares the planned columns with the stored baseline (reference §7.3): {@code fail} stops
   * here, before any chunk and without storing, with exit 4; {@code warn} logs; {@code continue} is
   * silent. Null on the first run.
   */
  SchemaDrift drift(StateStore state, ExportConfig e, ExportPlan plan) {
    String baseline = state.schemaBaseline(e.name());
    if (baseline == null) {
      return null;
    }
    SchemaDrift d = SchemaDrift.compare(baseline, plan.columns());
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.FAIL) {
      throw new RivetException(
          ErrorCode.SCHEMA_DRIFT,
          "export '"
              + e.name()
              + "': the schema changed since the last run: "
              + d.describe()
              + "; on_schema_drift: fail stops before any chunk (nothing written, baseline kept)."
              + " Adapt the consumers, then set on_schema_drift: warn for one run to accept the new schema");
    }
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.WARN) {
      LOG.warn("export '{}': the schema changed since the last run: {}", e.name(), d.describe());
    }
    return d;
  }

  static String driftJson(SchemaDrift d) {
    try {
      return Json.MAPPER.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void checkDistinctDirectories(Map<String, ExportPlan> plans) {
    Map<String, String> dirs = new LinkedHashMap<>();
    for (ExportPlan p : plans.values()) {
      String other = dirs.putIfAbsent(p.outputDir(), p.exportName());
      if (other != null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports '"
                + other
                + "' and '"
                + p.exportName()
                + "' both write to "
                + p.outputDir()
                + ", so their manifests would overwrite each other; give each its own"
                + " destination.path, e.g. ./out/{export}");
      }
    }
  }

  ExportPlan reload(StateStore state, ExportConfig e, RunRecord run, Planner planner) {
    if (!run.planHash().equals(PlanHash.of(e))) {
      throw new RivetException(
          ErrorCode.PLAN_CHANGED,
          "export '"
              + e.name()
              + "': the config changed since run "
              + run.runId()
              + " started (query, chunking, format or destination), so its chunks no longer mean the same rows;"
              + " restore the config to resume, or abandon the run with 'rivet state reset-chunks -c "
              + configArg
              + " -e "
              + e.name()
              + "'");
    }
    for (ChunkTask t : state.chunks(run.runId())) {
      if (ChunkTask.FAILED.equals(t.status()) && t.attempts() >= e.chunkMaxAttempts()) {
        throw new RivetException(
            ErrorCode.SOURCE_QUERY_FAILED,
            "export '"
                + e.name()
                + "', chunk "
                + t.chunkIndex()
                + " failed "
                + t.attempts()
                + " times (chunk_max_attempts: "
                + e.chunkMaxAttempts()
                + "); last error: "
                + t.lastError()
                + "; fix the cause, then raise chunk_max_attempts to resume");
      }
    }
    ExportPlan p = state.loadPlan(run.runId());
    return p.withConnection(planner.connectionSpec());
  }
}
